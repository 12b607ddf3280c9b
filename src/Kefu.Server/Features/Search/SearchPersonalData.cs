using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Search documents hold words of messages and private notes: retention and erasure delete them with the texts, in both modes (an
/// anonymised conversation keeps its shape, not its words), so an erased text is never found. Nothing
/// cascades to them, so this is what removes them, in both modes. Nothing to export: the words are the
/// messages', which the export has.
/// </summary>
internal sealed class SearchPersonalData : IPersonalDataHolder
{
    public async Task EraseConversationsAsync(KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken)
    {
        var ids = conversationIds.ToList();
        // By the messages' and notes' ids, through their (ConversationId, …) indexes and the documents' unique SourceId:
        // the documents have no index of their own on ConversationId (SearchDocument).
        var messages = db.Messages.Where(m => ids.Contains(m.ConversationId)).Select(m => m.Id);
        var notes = db.Notes.Where(n => ids.Contains(n.ConversationId)).Select(n => n.Id);
        // Two statements, not an OR of two IN lists, which SQLite may answer with a scan.
        await db.Set<SearchDocument>().Where(d => messages.Contains(d.SourceId) && d.Kind == SearchDocumentKind.Message).ExecuteDeleteAsync(cancellationToken);
        await db.Set<SearchDocument>().Where(d => notes.Contains(d.SourceId) && d.Kind == SearchDocumentKind.Note).ExecuteDeleteAsync(cancellationToken);
    }

    public Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken) => Task.CompletedTask;
}
