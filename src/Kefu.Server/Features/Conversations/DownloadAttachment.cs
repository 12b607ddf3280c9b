using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// <c>GET /api/v1/attachments/{id}/{name}?t=…</c>: 404 for a tampered or invented link, 410 for an expired one. Served so that nothing uploaded can run script on
/// Kefu's origin: checked type, nosniff, a sandboxing CSP, and "attachment" for everything but images.
/// </summary>
internal static class DownloadAttachment
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/attachments/{id:guid}/{name}", HandleAsync)
            .WithName("DownloadAttachment")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status410Gone)
            .WithTags("Attachments")
            .AllowAnonymous();

    private static async Task<IResult> HandleAsync(
        Guid id, string? t, HttpContext http, AttachmentUrls urls, IDbContextFactory<KefuDbContext> dbFactory,
        AttachmentStore store, CancellationToken cancellationToken)
    {
        switch (urls.Verify(id, t, out var remaining))
        {
            case AttachmentLinkCheck.Invalid:
                return TypedResults.NotFound();
            case AttachmentLinkCheck.Expired:
                // The link was real: 410 tells the client to reload the conversation for a fresh one.
                return TypedResults.StatusCode(StatusCodes.Status410Gone);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        var path = attachment is null ? null : store.PathFor(attachment);
        if (attachment is null || !File.Exists(path))
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        // Cached no longer than the link lives: a browser cache must not outlast the capability.
        headers.CacheControl = $"private, max-age={(long)remaining.TotalSeconds}";
        // Built from the name cleaned again: rows stored before names were cleaned may still hold anything.
        headers.ContentDisposition = AttachmentRules.ContentDisposition(attachment.ContentType, attachment.FileName);
        return TypedResults.PhysicalFile(path!, attachment.ContentType, enableRangeProcessing: true);
    }
}
