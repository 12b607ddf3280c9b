using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Search.Contracts;

/// <summary>
/// What a one-off backfill of notes written before notes were indexed needs besides <see cref="INoteSearchIndex"/>:
/// which notes already have a document, as a query the caller composes (an anti-join, no ids loaded).
/// </summary>
internal interface INoteSearchBackfill
{
    /// <summary>The ids of the notes that have a search document, for <c>!indexed.Contains(note.Id)</c> in the caller's query.</summary>
    IQueryable<Guid> IndexedNoteIds(KefuDbContext db);
}
