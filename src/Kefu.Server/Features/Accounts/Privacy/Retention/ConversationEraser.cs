using System.Text.Json.Nodes;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Retention;

/// <summary>Why conversations are erased; recorded in their events.</summary>
internal static class ErasureReasons
{
    public const string Retention = "retention";
    public const string Request = "erasure";
}

/// <summary>
/// Deletes or anonymises conversations one small batch per transaction, for retention and erasure requests alike:
/// messages, timeline, attachments (bytes too), bot records, queue rows and every other
/// <see cref="IPersonalDataHolder"/>'s data, then the contacts left with nothing. Each batch commits on its own, so a
/// crash loses at most the batch in flight and the next run picks up the rest; consoles hear of it after commit.
/// </summary>
internal sealed class ConversationEraser(
    IDbContextFactory<KefuDbContext> dbFactory,
    IEnumerable<IPersonalDataHolder> holders,
    IConversationReader reader,
    IMessageFanout fanout,
    TimeProvider time)
{
    private readonly IPersonalDataHolder[] _holders = holders.ToArray();

    /// <summary>
    /// Erases up to <paramref name="take"/> conversations of a workspace that <paramref name="which"/> selects, least
    /// recently active first. <paramref name="which"/> is applied again under the write lock, so a conversation a
    /// visitor wrote to in the meantime is left alone. The tally's <c>conversations</c> is below
    /// <paramref name="take"/> once nothing is left.
    /// </summary>
    public async Task<ErasureTally> EraseBatchAsync(
        Guid tenantId, Func<KefuDbContext, IQueryable<Conversation>> which, int take, ErasureMode mode, string reason, CancellationToken cancellationToken)
    {
        var tally = new ErasureTally();
        List<(Guid Id, Guid ContactId, DateTime LastMessageAt)> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            IQueryable<Conversation> Selected() => which(db).Where(c => c.TenantId == tenantId);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var candidates = await Selected().OrderBy(c => c.LastMessageAt).Select(c => c.Id).Take(take).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                tally.Add("conversations", 0);
                return tally;
            }

            // A no-op write locks the rows (PostgreSQL) before they are read again: a message written meanwhile either
            // committed first, and the conversation no longer matches, or waits for this batch and then finds it gone.
            await Selected().Where(c => candidates.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessagePreview, c => c.LastMessagePreview), cancellationToken);
            rows = [.. (await Selected().Where(c => candidates.Contains(c.Id)).Select(c => new { c.Id, c.ContactId, c.LastMessageAt })
                .ToListAsync(cancellationToken)).Select(r => (r.Id, r.ContactId, r.LastMessageAt))];
            var ids = rows.Select(r => r.Id).ToList();
            tally.Add("conversations", ids.Count);
            tally.Add("messages", await db.Messages.CountAsync(m => ids.Contains(m.ConversationId), cancellationToken));
            foreach (var holder in _holders)
            {
                await holder.EraseConversationsAsync(db, ids, mode, tally, cancellationToken);
            }

            var now = time.GetUtcNow().UtcDateTime;
            if (mode == ErasureMode.Delete)
            {
                await DeleteAsync(db, tenantId, ids, reason, now, cancellationToken);
            }
            else
            {
                await AnonymiseAsync(db, tenantId, rows, reason, now, cancellationToken);
            }

            await EraseContactsAsync(db, [.. rows.Select(r => r.ContactId).Distinct()], mode, tally, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await PublishAsync(tenantId, rows.Select(r => r.Id), mode, cancellationToken);
        return tally;
    }

    private static async Task DeleteAsync(KefuDbContext db, Guid tenantId, List<Guid> ids, string reason, DateTime now, CancellationToken cancellationToken)
    {
        // The event goes to the outbox only: the timeline is deleted with the conversation.
        foreach (var id in ids)
        {
            ConversationJournal.Append(db, new ConversationDeleted(reason) { TenantId = tenantId, ConversationId = id, Actor = Actor.System, OccurredAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);

        // Messages, timeline, bot turns, hand-off packets, queue rows and anonymisation marks cascade.
        await db.Conversations.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    private static async Task AnonymiseAsync(
        KefuDbContext db, Guid tenantId, List<(Guid Id, Guid ContactId, DateTime LastMessageAt)> rows, string reason, DateTime now, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        // Agents' replies quote customers too, so every text goes; the agent's own name stays with the shape.
        await db.Messages.Where(m => ids.Contains(m.ConversationId)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Text, PersonalData.RemovedText)
            .SetProperty(m => m.SenderName, m => m.SenderType == SenderType.Visitor ? null : m.SenderName), cancellationToken);
        await db.Conversations.Where(c => ids.Contains(c.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessagePreview, PersonalData.RemovedText), cancellationToken);

        // Transfer notes are the only free text in a timeline.
        foreach (var entry in await db.ConversationEvents.Where(e => ids.Contains(e.ConversationId) && e.Type == ConversationTransferred.Name)
                     .ToListAsync(cancellationToken))
        {
            if (entry.Data is not null && JsonNode.Parse(entry.Data) is JsonObject data && data.Remove("note"))
            {
                entry.Data = data.ToJsonString();
            }
        }

        var marked = await db.Set<AnonymisedConversation>().Where(a => ids.Contains(a.ConversationId)).ToDictionaryAsync(a => a.ConversationId, cancellationToken);
        foreach (var row in rows)
        {
            if (!marked.TryGetValue(row.Id, out var mark))
            {
                mark = new AnonymisedConversation { ConversationId = row.Id };
                db.Add(mark);
            }

            mark.LastActiveAt = row.LastMessageAt;
            mark.AnonymisedAt = now;
            ConversationJournal.Append(db, new ConversationAnonymised(reason) { TenantId = tenantId, ConversationId = row.Id, Actor = Actor.System, OccurredAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Contacts of the batch left with no conversation are deleted (delete mode); those whose every conversation is
    /// anonymised lose their name, e-mail, phone, tags and identities (anonymise mode).
    /// </summary>
    private async Task EraseContactsAsync(KefuDbContext db, List<Guid> contactIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken)
    {
        var marks = db.Set<AnonymisedConversation>();
        var done = mode == ErasureMode.Delete
            ? await db.Contacts.Where(c => contactIds.Contains(c.Id) && !db.Conversations.Any(v => v.ContactId == c.Id))
                .Select(c => c.Id).ToListAsync(cancellationToken)
            : await db.Contacts.Where(c => contactIds.Contains(c.Id)
                    && !(c.Name == PersonalData.RemovedName && c.Email == null && c.Phone == null && c.Tags == "")
                    && !db.Conversations.Any(v => v.ContactId == c.Id && !marks.Any(a => a.ConversationId == v.Id && a.LastActiveAt >= v.LastMessageAt)))
                .Select(c => c.Id).ToListAsync(cancellationToken);
        if (done.Count == 0)
        {
            return;
        }

        foreach (var holder in _holders)
        {
            await holder.EraseContactsAsync(db, done, tally, cancellationToken);
        }

        IQueryable<Contact> contacts = db.Contacts.Where(c => done.Contains(c.Id));
        tally.Add("contacts", mode == ErasureMode.Delete
            ? await contacts.ExecuteDeleteAsync(cancellationToken)
            : await contacts.ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, PersonalData.RemovedName)
                .SetProperty(c => c.Email, (string?)null).SetProperty(c => c.Phone, (string?)null).SetProperty(c => c.Tags, ""), cancellationToken));
    }

    private async Task PublishAsync(Guid tenantId, IEnumerable<Guid> ids, ErasureMode mode, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            if (mode == ErasureMode.Delete)
            {
                fanout.ConversationDeleted(tenantId, id);
            }
            else if (await reader.FindAsync(tenantId, id, cancellationToken) is { } dto)
            {
                fanout.ConversationChanged(tenantId, dto);
            }
        }
    }
}
