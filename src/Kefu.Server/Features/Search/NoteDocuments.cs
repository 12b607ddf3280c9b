using Kefu.Server.Features.Search.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Private notes' search documents, written with the note itself (notes are few and written by hand, so they need no
/// queue; the message path's <see cref="SearchIndexWriter"/> is not involved). SQLite's triggers on
/// <c>SearchDocuments</c> keep FTS5 in step on insert, update of the words and delete; PostgreSQL's index is an expression.
/// </summary>
internal sealed class NoteDocuments : INoteSearchIndex
{
    public async Task StageAsync(
        KefuDbContext db, Guid tenantId, Guid noteId, Guid conversationId, long seq, DateTime createdAt, string text, CancellationToken cancellationToken)
    {
        var terms = string.Join(' ', SearchTokenizer.Tokenize(text));
        var existing = await db.Set<SearchDocument>().FirstOrDefaultAsync(d => d.SourceId == noteId && d.Kind == SearchDocumentKind.Note, cancellationToken);
        if (existing is not null)
        {
            existing.Terms = terms;
            return;
        }

        db.Set<SearchDocument>().Add(new SearchDocument
        {
            TenantId = tenantId, Kind = SearchDocumentKind.Note, SourceId = noteId, ConversationId = conversationId, Seq = seq, CreatedAt = createdAt,
            Terms = terms,
        });
    }

    public async Task RemoveAsync(KefuDbContext db, Guid noteId, CancellationToken cancellationToken)
    {
        var existing = await db.Set<SearchDocument>().FirstOrDefaultAsync(d => d.SourceId == noteId && d.Kind == SearchDocumentKind.Note, cancellationToken);
        if (existing is not null)
        {
            db.Set<SearchDocument>().Remove(existing);
        }
    }
}
