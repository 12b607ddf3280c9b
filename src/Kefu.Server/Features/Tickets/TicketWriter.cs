using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>What a new ticket is made of, once checked.</summary>
internal sealed record TicketDraft(
    Guid TenantId, string Subject, TicketSource Source, TicketPriority Priority, TicketType Type, Guid? RequesterId, Guid? AssigneeId, Guid? TeamId,
    string Tags, Guid? ConversationId, Actor Actor)
{
    public string? FirstText { get; init; }
    public TicketEntryKind FirstKind { get; init; } = TicketEntryKind.Customer;
    public string? AuthorName { get; init; }
    public string? ExternalId { get; init; }

    /// <summary>The first line's files (attachment ids, space separated).</summary>
    public string FirstAttachments { get; init; } = "";
    public Guid? FollowUpOfId { get; init; }
    public bool CopyTranscript { get; init; } = true;

    /// <summary>The inbox it belongs to (the conversation's or the channel's), which limits who sees it.</summary>
    public Guid? InboxId { get; init; }

    /// <summary>Checked custom field values by definition (<see cref="TicketFieldRules.CheckAsync"/>), stored with the ticket.</summary>
    public IReadOnlyDictionary<Guid, string?>? Fields { get; init; }
}

/// <summary>
/// Creates tickets for every source (API, console, conversation, offline form, low score, channel, follow-up): the
/// number, the first thread lines, the transcript of a conversation, the SLA clock and <c>ticket.created</c>, in one
/// transaction. The number comes from the workspace's counter row, incremented by an UPDATE inside that transaction:
/// the row lock (PostgreSQL) or the write lock (SQLite) makes concurrent creations take turns, so numbers never repeat
/// and a rolled-back creation leaves no ticket with its number (ADR 0024).
/// </summary>
internal sealed class TicketWriter(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time, ConsoleNotifier console, TicketConversationIndex index, IInboxHours inboxHours)
{
    /// <summary>How many messages of a conversation are copied into a new ticket's thread.</summary>
    public const int MaxTranscript = 200;

    public async Task<Ticket> CreateAsync(TicketDraft draft, CancellationToken ct)
    {
        await EnsureCounterAsync(draft.TenantId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Set<TicketCounter>().Where(c => c.TenantId == draft.TenantId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, c => c.Last + 1), ct);
        var number = await db.Set<TicketCounter>().Where(c => c.TenantId == draft.TenantId).Select(c => c.Last).SingleAsync(ct);
        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(now), TenantId = draft.TenantId, Number = number, Subject = draft.Subject, Status = TicketStatus.New,
            Priority = draft.Priority, Type = draft.Type, Source = draft.Source, RequesterId = draft.RequesterId, AssigneeId = draft.AssigneeId,
            TeamId = draft.TeamId, InboxId = draft.InboxId, Tags = draft.Tags, ConversationId = draft.ConversationId, FollowUpOfId = draft.FollowUpOfId,
            ExternalId = draft.ExternalId, CreatedAt = now, UpdatedAt = now,
        };
        var policies = await SlaPolicyResolver.LoadAsync(db, draft.TenantId, inboxHours, ct);
        TicketSla.Start(ticket, policies.For(ticket), now);
        db.Add(ticket);
        await TicketFieldRules.ApplyAsync(db, draft.TenantId, ticket.Id, draft.Fields ?? new Dictionary<Guid, string?>(), isNew: true, ct);
        if (draft.ConversationId is { } conversationId && draft.CopyTranscript)
        {
            await CopyTranscriptAsync(db, ticket, conversationId, now, ct);
        }

        if (draft.FirstText is { } text)
        {
            db.Add(new TicketEntry
            {
                Id = Guid.CreateVersion7(now), TenantId = draft.TenantId, TicketId = ticket.Id, Kind = draft.FirstKind, Text = text,
                AuthorId = draft.Actor.Id, AuthorName = draft.AuthorName, ExternalId = draft.ExternalId, Attachments = draft.FirstAttachments, CreatedAt = now.AddTicks(1),
            });
        }

        ConversationJournal.Append(db, new TicketCreated(ticket.Id, number, draft.Source, draft.Priority)
        {
            TenantId = draft.TenantId, ConversationId = draft.ConversationId ?? Guid.Empty, Actor = draft.Actor, OccurredAt = now,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Changed(draft.TenantId, ticket.Id);
        if (ticket.ConversationId is { } linked)
        {
            index.Add(linked);
        }

        return ticket;
    }

    /// <summary>Tells the consoles of the workspace that a ticket changed (realtime lane, after commit).</summary>
    public void Changed(Guid tenantId, Guid ticketId) => console.Publish(new ConsoleEvent.TicketChanged(tenantId, ticketId));

    /// <summary>
    /// The counter row, made on a workspace's first ticket outside the numbering transaction: two first tickets at once
    /// both try, the primary key keeps one, and the loser's insert is simply not needed.
    /// </summary>
    private async Task EnsureCounterAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<TicketCounter>().AnyAsync(c => c.TenantId == tenantId, ct))
        {
            return;
        }

        db.Add(new TicketCounter { TenantId = tenantId, Last = 0 });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // another creation made it a moment ago
        }
    }

    private static async Task CopyTranscriptAsync(KefuDbContext db, Ticket ticket, Guid conversationId, DateTime now, CancellationToken ct)
    {
        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.Seq).Take(MaxTranscript).OrderBy(m => m.Seq)
            .Select(m => new { m.Text, m.SenderType, m.SenderId, m.SenderName, m.CreatedAt }).ToListAsync(ct);
        foreach (var m in messages.Where(m => m.Text.Length > 0))
        {
            db.Add(new TicketEntry
            {
                // Ids in the order of the conversation, all before the ticket's own lines.
                Id = Guid.CreateVersion7(now), TenantId = ticket.TenantId, TicketId = ticket.Id, Kind = TicketEntryKind.Transcript,
                AuthorId = m.SenderId, AuthorName = m.SenderName ?? (m.SenderType == SenderType.Visitor ? null : m.SenderType.ToString()),
                Text = m.Text.Length > TicketRules.MaxTextLength ? m.Text[..TicketRules.MaxTextLength] : m.Text, CreatedAt = m.CreatedAt,
            });
        }
    }
}
