using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Channels;

/// <summary>
/// The channel seam: inboxes of every channel type, their settings, and outbound delivery through each channel's
/// <see cref="Contracts.IChannelSender"/>. Each channel (<c>WebWidget/</c>, later <c>Email/</c>, <c>WeChat/</c>)
/// registers its own sender and inbound adapter.
/// </summary>
internal static class ChannelsModule
{
    public static IServiceCollection AddChannels(this IServiceCollection services) =>
        services.AddSingleton<InboxDirectory>()
            .AddSingleton<IInboxDirectory>(sp => sp.GetRequiredService<InboxDirectory>())
            .AddSingleton<IOutboxConsumer, ChannelDelivery>()
            .AddSingleton<InboxEdits>()
            .AddSingleton<ListInboxes>()
            .AddSingleton<GetInbox>()
            .AddSingleton<CreateInbox>()
            .AddSingleton<UpdateInbox>()
            .AddSingleton<UpdateInboxAppearance>()
            .AddSingleton<UpdateInboxBot>()
            .AddSingleton<UpdateInboxPreChat>()
            .AddSingleton<UpdateInboxOffline>()
            .AddSingleton<InboxAvatars>()
            .AddSingleton<SetInboxAvatar>()
            .AddSingleton<RemoveInboxAvatar>()
            .AddSingleton<RegenerateWidgetKey>()
            .AddSingleton<DeleteInbox>();

    public static IEndpointRouteBuilder MapChannelsEndpoints(this IEndpointRouteBuilder api)
    {
        ListInboxes.Map(api);
        GetInbox.Map(api);
        CreateInbox.Map(api);
        UpdateInbox.Map(api);
        UpdateInboxAppearance.Map(api);
        UpdateInboxBot.Map(api);
        UpdateInboxPreChat.Map(api);
        GetInbox.MapOffline(api);
        UpdateInboxOffline.Map(api);
        SetInboxAvatar.Map(api);
        RemoveInboxAvatar.Map(api);
        RegenerateWidgetKey.Map(api);
        DeleteInbox.Map(api);
        return api;
    }
}
