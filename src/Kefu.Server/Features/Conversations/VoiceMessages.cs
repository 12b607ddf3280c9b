using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>The attachments' side of voice messages (<see cref="IVoiceMessages"/>): the transcript is kept on the audio attachment.</summary>
internal sealed class VoiceMessages(IDbContextFactory<KefuDbContext> dbFactory, AttachmentStore store, ConversationMapper mapper) : IVoiceMessages
{
    public async Task<IReadOnlyList<VoiceMessage>> FindAsync(IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = messageIds.ToList();
        return await Query(db, db.Messages.Where(m => EF.Parameter(ids).Contains(m.Id) && m.AttachmentId != null && m.SenderType == SenderType.Visitor))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<VoiceMessage>> PendingAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = await db.Attachments.AsNoTracking().Where(a => a.TranscriptState == TranscriptStates.Pending)
            .OrderBy(a => a.CreatedAt).Select(a => a.Id).Take(take).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return [];
        }

        return await Query(db, db.Messages.Where(m => m.AttachmentId != null && EF.Parameter(pending).Contains(m.AttachmentId.Value)))
            .ToListAsync(cancellationToken);
    }

    public async Task<bool> MoveAsync(Guid attachmentId, string? from, string to, string? transcript, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Attachments.Where(a => a.Id == attachmentId && a.DurationMs != null && a.TranscriptState == from)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.TranscriptState, to).SetProperty(a => a.Transcript, transcript), cancellationToken);
        return changed == 1;
    }

    public Stream? OpenRead(VoiceMessage voice)
    {
        var path = store.PathFor(new Attachment
        {
            Id = voice.AttachmentId, TenantId = voice.TenantId, FileName = voice.FileName, ContentType = voice.ContentType, Sha256 = "",
        });
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    public async Task<AttachmentDto?> DtoAsync(Guid attachmentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId, cancellationToken);
        return attachment is null ? null : mapper.ToDto(attachment);
    }

    /// <summary>Voice messages only: audio with a recorded length (an audio file sent by mail is an ordinary attachment).</summary>
    private static IQueryable<VoiceMessage> Query(KefuDbContext db, IQueryable<Message> messages) =>
        from m in messages.AsNoTracking()
        join a in db.Attachments.AsNoTracking() on m.AttachmentId equals a.Id
        join c in db.Conversations.AsNoTracking() on m.ConversationId equals c.Id
        where a.DurationMs != null && a.ContentType.StartsWith("audio/")
        select new VoiceMessage(c.TenantId, c.Id, c.ContactId, m.Id, a.Id, a.ContentType, a.FileName, a.TranscriptState);
}
