using Kefu.Server.Hosting;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Webhooks;

/// <summary>Signed webhooks: subscriptions, the durable-lane enqueuer, the guarded sender and the delivery log (ADR 0019).</summary>
internal static class WebhooksModule
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.IsValid(), $"{WebhookOptions.Section} is out of range (or an AllowedNetworks entry is not CIDR).")
            .ValidateOnStart();
        services.AddSingleton<WebhookAddressGuard>();
        services.AddSingleton<WebhookHttp>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSubscriptionCache>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WakeSignal>(sp => sp.GetRequiredService<WebhookSignal>());
        services.AddSingleton<IOutboxConsumer, EnqueueWebhookDeliveries>();
        services.AddSingleton<WebhookPausedAlert>();
        services.AddSingleton<SendWebhookDelivery>();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<CreateWebhook>();
        services.AddSingleton<UpdateWebhook>();
        services.AddSingleton<DeleteWebhook>();
        services.AddSingleton<RotateWebhookSecret>();
        services.AddSingleton<ListWebhooks>();
        services.AddSingleton<ListWebhookDeliveries>();
        services.AddSingleton<ReplayWebhookDeliveries>();
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooksEndpoints(this IEndpointRouteBuilder api)
    {
        CreateWebhook.Map(api);
        UpdateWebhook.Map(api);
        DeleteWebhook.Map(api);
        RotateWebhookSecret.Map(api);
        ListWebhooks.Map(api);
        ListWebhookDeliveries.Map(api);
        ReplayWebhookDeliveries.Map(api);
        return api;
    }
}
