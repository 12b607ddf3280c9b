using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Channels;

/// <summary>
/// The channel seam: inboxes of every channel type and outbound delivery through each channel's
/// <see cref="Contracts.IChannelSender"/>. Each channel (<c>WebWidget/</c>, later <c>Email/</c>, <c>WeChat/</c>)
/// registers its own sender and inbound adapter.
/// </summary>
internal static class ChannelsModule
{
    public static IServiceCollection AddChannels(this IServiceCollection services) =>
        services.AddSingleton<InboxDirectory>()
            .AddSingleton<IInboxDirectory>(sp => sp.GetRequiredService<InboxDirectory>())
            .AddSingleton<IOutboxConsumer, ChannelDelivery>();
}
