using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// An agent's public reply on a ticket of an e-mail inbox: enqueued exactly like a conversation's reply (one pending
/// <see cref="EmailRecord"/>, idempotent by the thread line's id) and sent by <see cref="SendReplies"/> off the request,
/// threaded under the customer's last mail of that ticket. A ticket an agent opened for a customer who never wrote has
/// no such mail: the first reply starts a thread to the customer's address (their e-mail identity, else their profile's
/// e-mail), and a reply for a customer with no address is refused before it is stored (<c>requester_has_no_email</c>).
/// Tickets of other inboxes, or of none, are not this channel's.
/// </summary>
internal sealed class EmailTicketReplies(IDbContextFactory<KefuDbContext> dbFactory, InboxDirectory inboxes, IContactIdentities identities, EmailReplySignal signal, TimeProvider time)
    : ITicketReplySender
{
    public static readonly KefuError NoAddress = new("requester_has_no_email",
        "The customer of this ticket has no e-mail address to write to: add one to their contact first.");

    public async Task<KefuError?> CheckAsync(TicketOutboundReply reply, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(reply, cancellationToken))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await HasThreadAsync(db, reply, cancellationToken) || await AddressAsync(reply, cancellationToken) is not null ? null : NoAddress;
    }

    public async Task SendAsync(TicketOutboundReply reply, CancellationToken cancellationToken)
    {
        if (!await IsMineAsync(reply, cancellationToken))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<EmailRecord>().AnyAsync(r => r.MessageId == reply.EntryId, cancellationToken))
        {
            return;
        }

        // Without the customer's mail to answer, the record carries where a new thread goes and its subject ("[#12] …").
        var start = await HasThreadAsync(db, reply, cancellationToken) ? null : await AddressAsync(reply, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        db.Set<EmailRecord>().Add(new EmailRecord
        {
            Id = Guid.CreateVersion7(now), TenantId = reply.TenantId, InboxId = reply.InboxId!.Value, TicketId = reply.TicketId, MessageId = reply.EntryId,
            Direction = EmailDirection.Reply, HeaderMessageId = "", Address = start ?? "", Pending = true, CreatedAt = now,
            Subject = start is null ? "" : EmailThreading.OneLine($"[#{reply.Number}] {reply.Subject}", EmailThreading.MaxSubjectLength),
        });
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
    }

    private async Task<bool> IsMineAsync(TicketOutboundReply reply, CancellationToken cancellationToken) =>
        reply.InboxId is { } inboxId && await inboxes.ByIdAsync(inboxId, cancellationToken) is { } inbox && inbox.TenantId == reply.TenantId
        && EmailSettings.Read(inbox) is not null;

    /// <summary>The ticket has mail to continue: the customer's, or a reply Kefu sent or is about to send.</summary>
    private static Task<bool> HasThreadAsync(KefuDbContext db, TicketOutboundReply reply, CancellationToken cancellationToken) =>
        db.Set<EmailRecord>().AnyAsync(r => r.TicketId == reply.TicketId && r.InboxId == reply.InboxId && r.Refused == null
                                            && ((r.Direction == EmailDirection.Inbound && !r.Automatic) || r.Direction == EmailDirection.Reply), cancellationToken);

    private async Task<string?> AddressAsync(TicketOutboundReply reply, CancellationToken cancellationToken) =>
        reply.RequesterId is { } requester ? await identities.MailAddressAsync(reply.TenantId, requester, cancellationToken) : null;
}
