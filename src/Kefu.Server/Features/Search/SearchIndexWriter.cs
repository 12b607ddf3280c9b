using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Writes the search documents of messages, once each: messages already indexed (a replayed event, the backfill
/// meeting the consumer) are skipped, and what is read is the stored, masked text — originals are never indexed.
/// </summary>
internal static class SearchIndexWriter
{
    /// <summary>Indexes these messages (ids of any workspace) that are not indexed yet; returns how many were added.</summary>
    public static async Task<int> IndexMessagesAsync(KefuDbContext db, SqliteWriteGate gate, IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return 0;
        }

        var ids = messageIds.ToList();
        var indexed = await db.Set<SearchDocument>().AsNoTracking()
            .Where(d => d.Kind == SearchDocumentKind.Message && EF.Parameter(ids).Contains(d.SourceId))
            .Select(d => d.SourceId)
            .ToListAsync(cancellationToken);
        var missing = ids.Except(indexed).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }

        var rows = await (
                from m in db.Messages.AsNoTracking()
                where EF.Parameter(missing).Contains(m.Id)
                join c in db.Conversations on m.ConversationId equals c.Id
                select new { m.Id, m.ConversationId, m.Seq, m.Text, m.CreatedAt, c.TenantId })
            .ToListAsync(cancellationToken);
        // Tokenised before the write transaction: the single SQLite writer is held only for the inserts themselves.
        var inserts = RowStatement.Insert<SearchDocument>(db, nameof(SearchDocument.Id));
        foreach (var row in rows)
        {
            // An anonymised text says nothing about the conversation; a message deleted meanwhile is simply not read.
            var terms = row.Text == PersonalData.RemovedText ? [] : SearchTokenizer.Tokenize(row.Text);
            if (terms.Count > 0)
            {
                inserts.AddEntity(new SearchDocument
                {
                    TenantId = row.TenantId, Kind = SearchDocumentKind.Message, SourceId = row.Id, ConversationId = row.ConversationId,
                    Seq = row.Seq, CreatedAt = row.CreatedAt, Terms = string.Join(' ', terms),
                });
            }
        }

        var added = inserts.Count;
        if (added > 0)
        {
            // The index is derived: a commit lost in a power cut is found missing and written again by the next
            // start's backfill, so it need not wait for the disk while the message writer waits for the write lock.
            // One prepared INSERT per row rather than change tracking: EF's SaveChanges of a thousand documents cost
            // more CPU than the FTS work, all of it while holding the lock the message writer needs.
            await RelaxedDurability.UseAsync(db, cancellationToken);
            using var turn = await gate.EnterAsync(first: false, cancellationToken); // behind the message writer
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await inserts.ExecuteAsync(cancellationToken);
            // A conversation erased between the read above and this write took its documents with it before these
            // existed, and nothing cascades to a document (SearchDocument): drop those whose message is gone. Under
            // SQLite's one writer this is exact; on PostgreSQL an erasure committing at this very moment can still
            // leave a document behind, which no search returns (results join the message) and which holds only words.
            var written = rows.ConvertAll(r => r.Id);
            await db.Set<SearchDocument>()
                .Where(d => EF.Parameter(written).Contains(d.SourceId) && d.Kind == SearchDocumentKind.Message && !db.Messages.Any(m => m.Id == d.SourceId))
                .ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return added;
    }
}
