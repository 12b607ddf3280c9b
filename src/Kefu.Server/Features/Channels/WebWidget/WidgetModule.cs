using System.Threading.RateLimiting;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>The website widget channel: visitor sessions and tokens, the iframe, the demo page.</summary>
internal static class WidgetModule
{
    public const string SessionRateLimit = "widget-sessions";

    /// <summary>"Did this help?" votes: 30 a minute per client IP, so one visitor cannot fake the ratio.</summary>
    public const string FeedbackRateLimit = "widget-feedback";

    public static IServiceCollection AddWidget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WidgetOptions>().Bind(configuration.GetSection(WidgetOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<IChannelSender, WebWidgetSender>();
        services.AddSingleton<WidgetDemo>();
        services.AddScoped<CreateWidgetSession>();
        services.AddSingleton<SubmitPreChat>();
        services.AddSingleton<SubmitOffline>();
        services.AddSingleton<IdentifyWidgetVisitor>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, VisitorAuthentication>(VisitorAuthentication.SchemeName, null);

        var perMinute = configuration.GetSection(WidgetOptions.Section).Get<WidgetOptions>()?.SessionsPerMinutePerIp ?? new WidgetOptions().SessionsPerMinutePerIp;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SessionRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(FeedbackRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) }));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapWidgetEndpoints(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        CreateWidgetSession.Map(api);
        SubmitPreChat.Map(api);
        SubmitOffline.Map(api);
        IdentifyWidgetVisitor.Map(api);
        WidgetPages.Map(app);
        ServeAvatar.Map(app);
        return app;
    }
}

/// <summary>Finds the inbox the demo page at <c>/</c> embeds: the first one created.</summary>
internal sealed class WidgetDemo(IDbContextFactory<KefuDbContext> dbFactory)
{
    public async Task<string?> DemoKeyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.WidgetKey).FirstOrDefaultAsync(cancellationToken);
    }
}
