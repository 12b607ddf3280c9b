using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// An agent's public reply on a ticket of an e-mail inbox: enqueued exactly like a conversation's reply (one pending
/// <see cref="EmailRecord"/>, idempotent by the thread line's id) and sent by <see cref="SendReplies"/> off the request,
/// threaded under the customer's last mail of that ticket. Tickets of other inboxes, or of none, are not this channel's.
/// </summary>
internal sealed class EmailTicketReplies(IDbContextFactory<KefuDbContext> dbFactory, InboxDirectory inboxes, EmailReplySignal signal, TimeProvider time)
    : ITicketReplySender
{
    public async Task SendAsync(TicketOutboundReply reply, CancellationToken cancellationToken)
    {
        if (reply.InboxId is not { } inboxId || await inboxes.ByIdAsync(inboxId, cancellationToken) is not { } inbox ||
            inbox.TenantId != reply.TenantId || EmailSettings.Read(inbox) is null)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<EmailRecord>().AnyAsync(r => r.MessageId == reply.EntryId, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.Set<EmailRecord>().Add(new EmailRecord
        {
            Id = Guid.CreateVersion7(now), TenantId = reply.TenantId, InboxId = inboxId, TicketId = reply.TicketId, MessageId = reply.EntryId,
            Direction = EmailDirection.Reply, HeaderMessageId = "", Address = "", Pending = true, CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
    }
}
