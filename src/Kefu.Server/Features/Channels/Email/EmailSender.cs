using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>Wakes <see cref="SendReplies"/> when a reply is enqueued (on any node, with Redis).</summary>
internal sealed class EmailReplySignal() : WakeSignal("email-replies");

/// <summary>
/// The e-mail channel's outbound side on the durable lane: for each agent or bot message of an e-mail inbox it only
/// enqueues the reply (one existence check and one insert, idempotent by message id) and wakes
/// <see cref="SendReplies"/>. The SMTP conversation happens off the lane, so a slow or unreachable mail server never
/// holds up the bot, webhooks or any other consumer of the message events.
/// </summary>
internal sealed class EmailSender(IDbContextFactory<KefuDbContext> dbFactory, EmailReplySignal signal, TimeProvider time) : IChannelSender
{
    public ChannelType Channel => ChannelType.Email;

    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = db.Set<EmailRecord>();
        if (await records.AnyAsync(r => r.MessageId == message.MessageId, cancellationToken))
        {
            return; // enqueued before (the lane delivers at least once)
        }

        var now = time.GetUtcNow().UtcDateTime;
        records.Add(new EmailRecord
        {
            Id = Guid.CreateVersion7(now), TenantId = message.TenantId, InboxId = message.InboxId, ConversationId = message.ConversationId,
            MessageId = message.MessageId, Direction = EmailDirection.Reply, HeaderMessageId = "", Address = "", Pending = true, CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
    }
}
