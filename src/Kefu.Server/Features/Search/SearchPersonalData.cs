using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Search documents hold words of messages: retention and erasure delete them with the texts, in both modes (an
/// anonymised conversation keeps its shape, not its words), so an erased message is never found. Deleting a
/// message cascades anyway; doing it here also covers anonymisation. Nothing to export: the words are the
/// messages', which the export has.
/// </summary>
internal sealed class SearchPersonalData : IPersonalDataHolder
{
    public async Task EraseConversationsAsync(KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken)
    {
        var ids = conversationIds.ToList();
        // Through the messages' (ConversationId, Seq) index and the documents' SourceId: the documents have no index of
        // their own on ConversationId (SearchDocument).
        var messages = db.Messages.Where(m => ids.Contains(m.ConversationId)).Select(m => m.Id);
        await db.Set<SearchDocument>()
            .Where(d => messages.Contains(d.SourceId) && d.Kind == SearchDocumentKind.Message)
            .ExecuteDeleteAsync(cancellationToken);
    }

    public Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken) => Task.CompletedTask;
}
