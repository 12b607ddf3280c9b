using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>Channels' received files through the uploads' own store (<see cref="AttachmentStore"/>): one set of checks, one folder.</summary>
internal sealed class ReceivedFiles(AttachmentStore store, IDbContextFactory<KefuDbContext> dbFactory) : IReceivedFiles
{
    public long MaxBytes => store.MaxBytes;

    public async Task<(ReceivedFile? File, KefuError? Error)> SaveAsync(Guid tenantId, Guid contactId, Stream content, long length, string? fileName, CancellationToken cancellationToken)
    {
        var (attachment, error) = await store.SaveAsync(content, length, fileName, new Uploader(tenantId, contactId, null), cancellationToken);
        return attachment is null ? (null, error) : (ToFile(attachment), null);
    }

    public async Task<IReadOnlyList<ReceivedFile>> FindAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var list = ids.ToList();
        return (await db.Attachments.AsNoTracking().Where(a => a.TenantId == tenantId && EF.Parameter(list).Contains(a.Id)).ToListAsync(cancellationToken)).ConvertAll(ToFile);
    }

    public async Task<IResult> DownloadAsync(Guid tenantId, Guid id, HttpContext http, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.TenantId == tenantId, cancellationToken);
        var path = attachment is null ? null : store.PathFor(attachment);
        if (attachment is null || !File.Exists(path))
        {
            return TypedResults.NotFound();
        }

        // The same headers as DownloadAttachment: nothing received can run script on Kefu's origin.
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, no-store";
        headers.ContentDisposition = AttachmentRules.ContentDisposition(attachment.ContentType, attachment.FileName);
        return TypedResults.PhysicalFile(path!, attachment.ContentType, enableRangeProcessing: true);
    }

    private static ReceivedFile ToFile(Attachment a) => new(a.Id, a.FileName, a.ContentType, a.Size);
}
