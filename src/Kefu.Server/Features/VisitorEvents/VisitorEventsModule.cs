using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.VisitorEvents;

/// <summary>
/// What the host page tells Kefu about its visitor through the widget SDK (docs/sdk.md): events
/// (<c>Kefu.track</c>) for proactive rules and agents, and attributes (<c>Kefu.setAttributes</c>). Visitor-token
/// endpoints, limited per visitor; the data is personal data, erased and exported with the contact.
/// </summary>
internal static class VisitorEventsModule
{
    public static IServiceCollection AddVisitorEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VisitorEventsOptions>().Bind(configuration.GetSection(VisitorEventsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VisitorEventsOptions>>().Value;
            return new VisitorCallLimit(new KeyedTokenBucket(options.CallsPerMinute / 60.0, options.Burst, sp.GetRequiredService<TimeProvider>()));
        });
        services.AddSingleton<TrackVisitorEvent>();
        services.AddSingleton<SetVisitorAttributes>();
        services.AddSingleton<IPersonalDataHolder, VisitorEventsPersonalData>();
        services.AddSingleton<Contracts.IVisitorAttributes, VisitorAttributesReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapVisitorEventsEndpoints(this IEndpointRouteBuilder api)
    {
        TrackVisitorEvent.Map(api);
        SetVisitorAttributes.Map(api);
        return api;
    }
}

/// <summary>One token bucket per visitor (contact id) shared by the SDK's storing calls.</summary>
internal sealed record VisitorCallLimit(KeyedTokenBucket Bucket)
{
    /// <summary>Null when the call may go ahead; otherwise <c>rate_limited</c> with the wait.</summary>
    public KefuError? Take(Guid contactId) =>
        Bucket.TryTake(contactId.ToString("N")) is { } wait
            ? new KefuError(KefuError.RateLimitedCode, "Too many calls from this visitor; wait before sending more.", RetryAfter.Seconds(wait))
            : null;
}
