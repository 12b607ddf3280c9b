using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Messages and private notes matching a query, newest indexed first, in the conversations given. The full-text match is the provider's
/// (FTS5 or a GIN-indexed tsvector); the scope, the filters and the paging are ordinary EF composed around it.
/// </summary>
internal static class SearchMessages
{
    // SQLite: the FTS5 row id is the document's id, so results come in the index's own order and a page stops early.
    private const string SqliteMatch =
        """SELECT "SearchFts".rowid AS "Id", d."TenantId", d."Kind", d."SourceId", d."ConversationId", d."Seq", d."CreatedAt", d."Terms" """ +
        """FROM "SearchFts" JOIN "SearchDocuments" AS d ON d."Id" = "SearchFts".rowid WHERE "SearchFts" MATCH {0}""";

    private const string PostgresMatch =
        """SELECT * FROM "SearchDocuments" WHERE to_tsvector('simple'::regconfig, "Terms") @@ to_tsquery('simple'::regconfig, {0})""";

    /// <summary>One page and one more row (to tell whether another page exists).</summary>
    public static async Task<List<SearchHit>> RunAsync(
        KefuDbContext db, Guid tenantId, IQueryable<Conversation> visible, SearchQuery query, SearchRequest request, CancellationToken cancellationToken)
    {
        var documents = db.Database.IsSqlite()
            ? db.Set<SearchDocument>().FromSqlRaw(SqliteMatch, query.ToSqlite())
            : db.Set<SearchDocument>().FromSqlRaw(PostgresMatch, query.ToPostgres());
        // Messages and agents' private notes: this search is the agents' (console and agent API); a visitor-facing
        // search would keep Kind == Message.
        documents = documents.Where(d => d.TenantId == tenantId);
        if (request.From is { } from)
        {
            var since = from.ToUniversalTime();
            documents = documents.Where(d => d.CreatedAt >= since);
        }

        if (request.To is { } to)
        {
            var before = to.ToUniversalTime();
            documents = documents.Where(d => d.CreatedAt < before);
        }

        var rows = await (
                from d in documents
                join c in visible on d.ConversationId equals c.Id
                join p in db.Contacts on c.ContactId equals p.Id
                join m in db.Messages on d.SourceId equals m.Id into message
                from m in message.DefaultIfEmpty()
                join n in db.Notes on d.SourceId equals n.Id into note
                from n in note.DefaultIfEmpty()
                where (d.Kind == SearchDocumentKind.Message && m != null) || (d.Kind == SearchDocumentKind.Note && n != null)
                orderby d.Id descending
                select new
                {
                    d.ConversationId, d.SourceId, d.Seq, d.CreatedAt, d.Kind, MessageText = m.Text, NoteText = n.Text, Sender = (SenderType?)m.SenderType,
                    c.ContactId, ContactName = p.Name, c.InboxId, c.Status,
                })
            .Skip((request.Page - 1) * request.PageSize)
            .Take(request.PageSize + 1)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => r.Kind == SearchDocumentKind.Note
            ? new SearchHit(SearchKinds.Note, r.ConversationId, r.SourceId, r.Seq, r.ContactId, r.ContactName, r.InboxId, r.Status.ToString(),
                null, r.CreatedAt, SearchSnippet.Build(r.NoteText!, query.Pieces))
            : new SearchHit(SearchKinds.Message, r.ConversationId, r.SourceId, r.Seq, r.ContactId, r.ContactName, r.InboxId, r.Status.ToString(),
                r.Sender.ToString(), r.CreatedAt, SearchSnippet.Build(r.MessageText!, query.Pieces)));
    }
}
