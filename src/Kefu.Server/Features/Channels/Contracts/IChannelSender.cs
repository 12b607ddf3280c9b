using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>An agent's or the bot's message to deliver to the customer through the conversation's channel.</summary>
/// <param name="TenantId">The workspace.</param>
/// <param name="InboxId">The inbox, whose settings say where to send.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="ContactId">The customer; the sender looks up the channel identity (e-mail address, openid) it needs.</param>
/// <param name="MessageId">The message, read by the sender with the conversation's read API; also the idempotency key.</param>
/// <param name="Seq">Its place in the conversation.</param>
/// <param name="Sender">Agent or bot.</param>
public sealed record OutboundMessage(Guid TenantId, Guid InboxId, Guid ConversationId, Guid ContactId, Guid MessageId, long Seq, SenderType Sender);

/// <summary>
/// How replies leave one channel, on the durable lane: called at least once per agent or bot message of an inbox
/// of <see cref="Channel"/>, after the message is committed. Must be idempotent by <see cref="OutboundMessage.MessageId"/>;
/// throwing makes the outbox retry it later (and set it aside after a few tries).
/// </summary>
public interface IChannelSender
{
    /// <summary>The channel this sender serves.</summary>
    ChannelType Channel { get; }

    /// <summary>Delivers one message.</summary>
    Task SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
