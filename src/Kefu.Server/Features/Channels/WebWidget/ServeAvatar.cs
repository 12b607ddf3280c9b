using Kefu.Server.Features.Channels.Inboxes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>
/// <c>GET /media/avatars/{sha256}.{ext}</c>, public: the widget shows it on customers' sites to visitors who have no
/// credentials. The address is the content's hash, so the answer is cached for a year; only files an inbox shows are
/// served, as the image type the bytes were checked to be, and a browser is told never to run or sniff them.
/// </summary>
internal static class ServeAvatar
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(InboxAvatars.Route + "/{file}", HandleAsync).WithName("InboxAvatar").WithTags("Widget").AllowAnonymous();

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> HandleAsync(string file, HttpContext http, InboxAvatars avatars, CancellationToken cancellationToken)
    {
        // The pattern first: nothing a client sends reaches the file system unless it is a name this server writes.
        if (!InboxAvatars.IsFileName(file) || !await avatars.InUseAsync(file, cancellationToken) || !File.Exists(avatars.FilePath(file)))
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'";
        headers.CacheControl = "public, max-age=31536000, immutable";
        // Shown in the widget's frame (Kefu's origin) and, should a site want it, on the site itself: a site that
        // isolates itself (COEP) loads only resources that say so.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return TypedResults.PhysicalFile(avatars.FilePath(file), AvatarImage.ContentTypeOf(Path.GetExtension(file)[1..]));
    }
}
