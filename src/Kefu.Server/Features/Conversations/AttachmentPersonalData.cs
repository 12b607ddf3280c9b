using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>Attachments as personal data: erased with their conversations or their uploader, bytes on disk included, and exported.</summary>
internal sealed class AttachmentPersonalData(AttachmentStore store) : IPersonalDataHolder
{
    public async Task EraseConversationsAsync(
        KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken)
    {
        var ids = await db.Messages.Where(m => conversationIds.Contains(m.ConversationId) && m.AttachmentId != null)
            .Select(m => m.AttachmentId!.Value).Distinct().ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return;
        }

        // Messages point at attachments (restrict): unlink them first, in both modes.
        await db.Messages.Where(m => conversationIds.Contains(m.ConversationId) && m.AttachmentId != null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.AttachmentId, (Guid?)null), cancellationToken);
        tally.Add("attachments", await DeleteAsync(db, db.Attachments.Where(a => ids.Contains(a.Id)), cancellationToken));
    }

    public async Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken) =>
        // Uploaded but never sent, or sent in a conversation already gone: nothing else reaches these any more.
        tally.Add("attachments", await DeleteAsync(db, db.Attachments.Where(a => a.UploaderContactId != null && contactIds.Contains(a.UploaderContactId.Value)
            && !db.Messages.Any(m => m.AttachmentId == a.Id)), cancellationToken));

    public async Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken)
    {
        var sent = db.Messages.Where(m => conversationIds.Contains(m.ConversationId) && m.AttachmentId != null).Select(m => m.AttachmentId!.Value);
        var attachments = await db.Attachments.AsNoTracking()
            .Where(a => sent.Contains(a.Id) || a.UploaderContactId == contactId)
            .OrderBy(a => a.CreatedAt).ToListAsync(cancellationToken);
        var listed = new List<object>(attachments.Count);
        foreach (var a in attachments)
        {
            // By id, never by the uploaded name alone: two uploads may share a name.
            string? file = null;
            var path = store.PathFor(a);
            if (File.Exists(path))
            {
                file = $"attachments/{a.Id:N}-{a.FileName}";
                await using var content = File.OpenRead(path);
                await export.AddFileAsync(file, content, cancellationToken);
            }

            listed.Add(new { a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.CreatedAt, UploadedByContact = a.UploaderContactId == contactId, File = file });
        }

        await export.AddJsonAsync("attachments.json", listed, cancellationToken);
    }

    /// <summary>
    /// Deletes the bytes, then the rows, inside the caller's transaction. Bytes first on purpose: if the commit
    /// then fails, the rows of files already gone are retried and removed by the next run; the other order could
    /// leave a person's file on disk with no row that would ever lead to it.
    /// </summary>
    private async Task<int> DeleteAsync(KefuDbContext db, IQueryable<Attachment> query, CancellationToken cancellationToken)
    {
        var rows = await query.Select(a => new { a.Id, a.TenantId }).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            File.Delete(store.PathFor(new Attachment { Id = row.Id, TenantId = row.TenantId, FileName = "", ContentType = "", Sha256 = "" }));
        }

        var ids = rows.Select(r => r.Id).ToList();
        return ids.Count == 0 ? 0 : await db.Attachments.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
    }
}
