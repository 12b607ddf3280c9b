using Kefu.Server.Features.Channels.Contracts;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>
/// The web widget's outbound channel. Its delivery is the realtime fan-out: right after commit the message is
/// pushed to the visitor's hub connections, and a visitor who was away fetches it by Seq when the widget opens
/// again. Nothing is left to do on the durable lane, and nothing to retry.
/// </summary>
internal sealed class WebWidgetSender : IChannelSender
{
    public ChannelType Channel => ChannelType.WebWidget;

    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
}
