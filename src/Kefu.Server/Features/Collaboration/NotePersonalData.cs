using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// Private notes as personal data: agents write about the customer in them ("called back on 138…"). Deleting a
/// conversation deletes its notes (the foreign key cascades); anonymising keeps that a note was written, by whom and
/// when, and removes its words, as it does a message's. Their search documents go with the search holder, and
/// <see cref="NoteSearchBackfill"/> never indexes a removed text again.
/// </summary>
internal sealed class NotePersonalData : IPersonalDataHolder
{
    public async Task EraseConversationsAsync(
        KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken)
    {
        if (mode == ErasureMode.Delete)
        {
            return;
        }

        var ids = conversationIds.ToList();
        var removed = await db.Notes.Where(n => EF.Parameter(ids).Contains(n.ConversationId) && n.Text != PersonalData.RemovedText)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Text, PersonalData.RemovedText).SetProperty(n => n.Mentions, ""), cancellationToken);
        tally.Add("notes", removed);
    }

    public Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken)
    {
        // What was written about the person is theirs to see (the right of access); who wrote it stays out.
        var ids = conversationIds.ToList();
        var notes = await db.Notes.AsNoTracking().Where(n => EF.Parameter(ids).Contains(n.ConversationId)).OrderBy(n => n.CreatedAt)
            .Select(n => new { n.ConversationId, n.Text, n.CreatedAt })
            .ToListAsync(cancellationToken);
        await export.AddJsonAsync("notes.json", notes, cancellationToken);
    }
}
