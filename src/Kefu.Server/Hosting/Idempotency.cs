using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Hosting;

/// <summary>
/// <c>Idempotency-Key</c> on every POST that creates something (an endpoint whose typed result includes
/// <c>Created</c>, or that says it creates with <see cref="CreatesResource"/>): a retry with the same key and body gets the first answer again, with another body 422, while the
/// first is still running 409. Keys belong to a workspace and live <see cref="Lifetime"/>. The filter is added once to
/// the API group (<see cref="WithIdempotency"/>); endpoints that create nothing pay nothing, and those that do pay one
/// header lookup when no key is sent.
/// </summary>
internal static class Idempotency
{
    /// <summary>The request header.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>The answer header on a replay.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Longest key accepted (a UUID is 36).</summary>
    public const int MaxKeyLength = 255;

    /// <summary>How long a key is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static readonly KefuError InvalidKey = new KefuError("invalid_idempotency_key", $"Idempotency-Key must be 1-{MaxKeyLength} visible ASCII characters.") with { Field = Header };
    public static readonly KefuError KeyReused = new("idempotency_key_reused", "This Idempotency-Key was used with another request; use a new key for a new request.");
    public static readonly KefuError InProgress = new("idempotency_key_in_use", "The first request with this Idempotency-Key is still running; retry shortly.", 1);

    /// <summary>Marks a creating endpoint whose answer must not be stored (it holds a secret shown once).</summary>
    public sealed class NotReplayed;

    /// <summary>Marks a POST that creates something but answers 200 (an import, a note, a survey sent).</summary>
    public sealed class Creates;

    /// <summary>
    /// Says that this POST creates something although it does not answer <c>201 Created</c>, so a retry with the same
    /// <c>Idempotency-Key</c> must not create it twice.
    /// </summary>
    public static RouteHandlerBuilder CreatesResource(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new Creates()).AddEndpointFilterFactory(Attach);

    /// <summary>True when the filter applies to an endpoint with this handler and metadata (also read by the tests).</summary>
    public static bool Applies(MethodInfo handler, IEnumerable<object> metadata) =>
        CreatesType(handler.ReturnType) || metadata.OfType<Creates>().Any();

    private static EndpointFilterDelegate Attach(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var filter = context.ApplicationServices.GetRequiredService<IdempotencyFilter>();
        return invocation => filter.InvokeAsync(invocation, next);
    }

    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddSingleton<IdempotencyFilter>();
        services.AddHostedService<IdempotencySweep>();
        // The filter hashes the body after binding has read it: keep it readable, only when a key is sent.
        services.AddTransient<IStartupFilter, BufferingStartup>();
        return services;
    }

    /// <summary>Adds the filter to every creating endpoint of <paramref name="group"/>.</summary>
    public static RouteGroupBuilder WithIdempotency(this RouteGroupBuilder group)
    {
        // Endpoints answering 201; those answering 200 attach the same filter themselves (CreatesResource).
        group.AddEndpointFilterFactory((context, next) => CreatesType(context.MethodInfo.ReturnType) ? Attach(context, next) : next);
        return group;
    }

    /// <summary>True when a handler's return type can be a 201 Created.</summary>
    private static bool CreatesType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Created<>) || type == typeof(Created) ||
        type.IsGenericType && type.GetGenericArguments().Any(CreatesType);

    /// <summary>Buffers the body of a POST that carries an <c>Idempotency-Key</c>, so the filter can hash it after binding.</summary>
    private sealed class BufferingStartup : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                if (HttpMethods.IsPost(http.Request.Method) && http.Request.Headers.ContainsKey(Header) && !IsMultipart(http.Request))
                {
                    http.Request.EnableBuffering();
                }

                return following(http);
            });
            next(app);
        };
    }

    /// <summary>
    /// Uploads are not buffered or replayed: their handlers stream the body under their own size limit, which reading
    /// it first would defeat. A retried upload stores a second, unreferenced attachment.
    /// </summary>
    public static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;
}
