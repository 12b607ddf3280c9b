using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Channels;

/// <summary>
/// Outbound messages on the durable lane: each agent or bot message goes to the sender of its inbox's channel,
/// at least once. An inbox whose channel has no sender on this server fails here, visibly (the outbox row keeps
/// the error), instead of dropping the reply.
/// </summary>
internal sealed class ChannelDelivery(InboxDirectory inboxes, IEnumerable<IChannelSender> senders) : IOutboxConsumer
{
    private readonly Dictionary<ChannelType, IChannelSender> _senders = senders.ToDictionary(s => s.Channel);

    public string Name => "channels";

    public bool Handles(ConversationEvent e) => e is MessageCreated { Sender: SenderType.Agent or SenderType.Bot };

    public async Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
    {
        if (e is not MessageCreated message)
        {
            return;
        }

        var inbox = await inboxes.ByIdAsync(message.InboxId, cancellationToken)
                    ?? throw new InvalidOperationException($"Inbox {message.InboxId} of conversation {message.ConversationId} does not exist.");
        if (!_senders.TryGetValue(inbox.Channel, out var sender))
        {
            throw new InvalidOperationException($"No sender for channel {inbox.Channel} on this server.");
        }

        await sender.SendAsync(new OutboundMessage(message.TenantId, message.InboxId, message.ConversationId, message.ContactId, message.MessageId,
            message.Seq, message.Sender), cancellationToken);
    }
}
