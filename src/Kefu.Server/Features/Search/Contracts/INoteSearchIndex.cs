using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Search.Contracts;

/// <summary>
/// Keeps a private note's search document in step with the note (ADR 0012, "Adding a kind"). Each call only stages its
/// change in the caller's context: it is saved with the note, in the same transaction, so a note and its document are
/// never apart. Notes are found by agents' searches only (the console's and the agent API's).
/// </summary>
internal interface INoteSearchIndex
{
    /// <summary>Adds the document of a new note, or replaces the words of an edited one.</summary>
    /// <param name="db">The caller's context; nothing is saved here.</param>
    /// <param name="tenantId">The note's workspace.</param>
    /// <param name="noteId">The note.</param>
    /// <param name="conversationId">Its conversation.</param>
    /// <param name="seq">The <c>Seq</c> of the conversation's last message when the note was written: where search opens it.</param>
    /// <param name="createdAt">When the note was written, UTC.</param>
    /// <param name="text">The note's text.</param>
    /// <param name="cancellationToken">Cancels the read of an existing document.</param>
    Task StageAsync(KefuDbContext db, Guid tenantId, Guid noteId, Guid conversationId, long seq, DateTime createdAt, string text, CancellationToken cancellationToken);

    /// <summary>Removes a deleted note's document.</summary>
    Task RemoveAsync(KefuDbContext db, Guid noteId, CancellationToken cancellationToken);
}
