using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// A customer's message reaches a ticket: from a channel (<see cref="ITicketReplies"/>) or from the ticket's chat
/// (<see cref="TicketChatReplies"/>). Pending and solved tickets open again and the next-reply target starts; a
/// merged ticket hands the message to its survivor; a closed one gets a follow-up ticket linked to it.
/// </summary>
internal sealed class TicketReplies(IDbContextFactory<KefuDbContext> dbFactory, TicketWriter writer, TicketFollowers followers, IInboxHours inboxHours, TimeProvider time) : ITicketReplies
{
    public async Task<(Guid? TicketId, KefuError? Error)> AddCustomerReplyAsync(Guid tenantId, Guid ticketId, Guid contactId, string text, string externalId, CancellationToken cancellationToken,
        IReadOnlyList<Guid>? attachmentIds = null)
    {
        var files = TicketRules.Join((attachmentIds ?? []).Take(TicketLimits.MaxAttachments));
        var (clean, invalid) = TicketRules.Text(text);
        if (clean is null || string.IsNullOrWhiteSpace(externalId) || externalId.Length > 200)
        {
            return (null, invalid ?? TicketErrors.Invalid("externalId", "A channel message id of 1 to 200 characters."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<TicketEntry>().Where(e => e.TenantId == tenantId && e.ExternalId == externalId).Select(e => (Guid?)e.TicketId).FirstOrDefaultAsync(cancellationToken) is { } seen)
        {
            return (seen, null);
        }

        var ticket = await TicketGate.FindAsync(db, tenantId, ticketId, cancellationToken);
        if (ticket?.MergedIntoId is { } survivor)
        {
            ticket = await TicketGate.FindAsync(db, tenantId, survivor, cancellationToken);
        }

        if (ticket is null)
        {
            return (null, TicketErrors.NotFound);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (ticket.Status == TicketStatus.Closed)
        {
            var followUp = await writer.CreateAsync(new TicketDraft(tenantId, ticket.Subject, TicketSource.FollowUp, ticket.Priority, ticket.Type, ticket.RequesterId ?? contactId,
                ticket.AssigneeId, ticket.TeamId, ticket.Tags, ticket.ConversationId, Actor.Visitor(contactId))
            {
                FirstText = clean, FirstKind = TicketEntryKind.Customer, ExternalId = externalId, FollowUpOfId = ticket.Id, CopyTranscript = false, InboxId = ticket.InboxId,
                FirstAttachments = files,
            }, cancellationToken);
            return (followUp.Id, null);
        }

        await AddAsync(db, ticket, contactId, clean, externalId, await SlaPolicyResolver.LoadAsync(db, tenantId, inboxHours, cancellationToken), now, cancellationToken, files);
        await db.SaveChangesAsync(cancellationToken);
        writer.Changed(tenantId, ticket.Id);
        followers.Announce(tenantId, [ticket]);
        return (ticket.Id, null);
    }

    public async Task<(Guid? TicketId, KefuError? Error)> OpenAsync(Guid tenantId, Guid contactId, string subject, string text, string externalId, Guid? inboxId, CancellationToken cancellationToken,
        IReadOnlyList<Guid>? attachmentIds = null)
    {
        var (clean, invalid) = TicketRules.Text(text);
        var line = SafeText.SingleLine(subject);
        if (clean is null || string.IsNullOrWhiteSpace(externalId) || externalId.Length > 200)
        {
            return (null, invalid ?? TicketErrors.Invalid("externalId", "A channel message id of 1 to 200 characters."));
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Set<Ticket>().Where(t => t.TenantId == tenantId && t.ExternalId == externalId).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken) is { } seen)
            {
                return (seen, null);
            }
        }

        var ticket = await writer.CreateAsync(new TicketDraft(tenantId, line.Length == 0 ? "(no subject)" : line[..Math.Min(line.Length, TicketRules.MaxSubjectLength)],
            TicketSource.Email, TicketPriority.Normal, TicketType.Question, contactId, null, null, "", null, Actor.Visitor(contactId))
        {
            FirstText = clean, FirstKind = TicketEntryKind.Customer, ExternalId = externalId, InboxId = inboxId,
            FirstAttachments = TicketRules.Join((attachmentIds ?? []).Take(TicketLimits.MaxAttachments)),
        }, cancellationToken);
        return (ticket.Id, null);
    }

    public async Task<Guid?> RequesterAsync(Guid tenantId, Guid ticketId, Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Ticket>().AsNoTracking().Where(t => t.Id == ticketId && t.TenantId == tenantId && t.InboxId == inboxId)
            .Select(t => t.RequesterId).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<string?> ReplyTextAsync(Guid tenantId, Guid entryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<TicketEntry>().AsNoTracking().Where(e => e.Id == entryId && e.TenantId == tenantId && e.Kind == TicketEntryKind.Reply)
            .Select(e => e.Text).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Adds the customer's line (and its files' ids) to an open-for-business ticket (not closed, not merged), wakes it and tells its followers.</summary>
    public async Task AddAsync(KefuDbContext db, Ticket ticket, Guid contactId, string text, string externalId, SlaPolicyResolver policies, DateTime now, CancellationToken ct,
        string attachments = "")
    {
        db.Add(new TicketEntry
        {
            Id = Guid.CreateVersion7(now), TenantId = ticket.TenantId, TicketId = ticket.Id, Kind = TicketEntryKind.Customer, AuthorId = contactId,
            Text = text, ExternalId = externalId, Attachments = attachments, CreatedAt = now,
        });
        if (ticket.Status is TicketStatus.Pending or TicketStatus.Solved)
        {
            TicketChanges.Move(db, ticket, TicketStatus.Open, Actor.Visitor(contactId), now);
        }

        TicketSla.CustomerWrote(ticket, policies.For(ticket), now);
        ticket.UpdatedAt = now;
        ticket.Version++;
        await followers.AlertAsync(db, ticket, TicketAlertKind.CustomerReply, null, now, ct);
    }
}
