using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Notifications;

/// <summary>The agents' bell: lines written from the durable event lane, read and marked read over REST and the console, pruned hourly.</summary>
internal static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IOutboxConsumer, RecordNotifications>();
        services.AddSingleton<Contracts.ILowScoreAlerts, LowScoreAlerts>();
        services.AddSingleton<Contracts.ITicketAlerts, TicketAlerts>();
        services.AddSingleton<ListNotifications>();
        services.AddSingleton<MarkNotificationsRead>();
        services.AddHostedService<NotificationSweep>();
        return services;
    }

    public static IEndpointRouteBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder api)
    {
        ListNotifications.Map(api);
        MarkNotificationsRead.Map(api);
        return api;
    }
}
