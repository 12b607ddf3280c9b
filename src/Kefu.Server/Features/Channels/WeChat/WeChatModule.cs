using Kefu.Server.Features.Channels.Contracts;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// The WeChat Official Account channel: its callback (the server URL WeChat calls), its sender on the channel seam,
/// its token store and its settings endpoints.
/// </summary>
internal static class WeChatModule
{
    public static IServiceCollection AddWeChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeChatOptions>().Bind(configuration.GetSection(WeChatOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services.AddSingleton<WeChatApi>()
            .AddSingleton<WeChatSettingsStore>()
            .AddSingleton<WeChatAccessTokens>()
            .AddSingleton<WeChatInbound>()
            .AddSingleton<ReceiveWeChatCallback>()
            .AddSingleton<IChannelSender, WeChatSender>()
            .AddSingleton<ConnectWeChatInbox>()
            .AddSingleton<GetWeChatSettings>()
            .AddSingleton<UpdateWeChatSettings>()
            .AddSingleton<CheckWeChatCredentials>();
    }

    /// <summary>The settings endpoints under <c>/api/v1</c>.</summary>
    public static IEndpointRouteBuilder MapWeChatEndpoints(this IEndpointRouteBuilder api)
    {
        ConnectWeChatInbox.Map(api);
        GetWeChatSettings.Map(api);
        UpdateWeChatSettings.Map(api);
        CheckWeChatCredentials.Map(api);
        return api;
    }

    /// <summary>The callback WeChat calls, outside the authenticated API: its signature is its credential.</summary>
    public static IEndpointRouteBuilder MapWeChatCallbacks(this IEndpointRouteBuilder app)
    {
        ReceiveWeChatCallback.Map(app);
        return app;
    }
}
