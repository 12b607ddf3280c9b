using Kefu.Server.Features.Search.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Search;

/// <summary>The <see cref="INoteSearchBackfill"/> over <c>SearchDocuments</c> (its unique (SourceId, Kind) index serves the anti-join).</summary>
internal sealed class NoteBackfillQuery : INoteSearchBackfill
{
    public IQueryable<Guid> IndexedNoteIds(KefuDbContext db) =>
        db.Set<SearchDocument>().Where(d => d.Kind == SearchDocumentKind.Note).Select(d => d.SourceId);
}
