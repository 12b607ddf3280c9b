using System.Security.Cryptography;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>An uploaded file as it arrived: its bytes and the length the client announced.</summary>
internal sealed record AvatarUpload(Stream Content, long Length);

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/avatar</c> (settings permission; multipart with one file): the picture the widget shows in
/// its header and beside the bot's and agents' messages. The bytes decide what it is (<see cref="AvatarImage"/>), never
/// the name or the declared type. Replacing it gives a new address; the old file goes once no inbox shows it.
/// </summary>
internal sealed class SetInboxAvatar(InboxEdits edits, InboxAvatars avatars, IDbContextFactory<KefuDbContext> dbFactory)
{
    /// <summary>Room for the multipart boundary and part headers around the file.</summary>
    private const long MultipartOverhead = 16 * 1024;

    public static readonly KefuError Missing = InboxErrors.Invalid("avatar", "Send one image file in a multipart form.");
    public static readonly KefuError TooLarge = InboxErrors.Invalid("avatar", $"The avatar may be at most {AvatarImage.MaxBytes / 1024} KB.");
    public static readonly KefuError NotAnImage = InboxErrors.Invalid("avatar", "The avatar must be a PNG, JPEG, WebP or GIF image.");
    public static readonly KefuError WrongSize = InboxErrors.Invalid("avatar",
        $"The avatar must be at least {AvatarImage.MinSide}×{AvatarImage.MinSide} and at most {AvatarImage.MaxSide}×{AvatarImage.MaxSide} pixels.");

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/avatar", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, HttpRequest request, SetInboxAvatar handler, CancellationToken ct) =>
            {
                var upload = await ReadAsync(request, ct);
                return InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(request.HttpContext.User)!, id, upload, InboxHttp.BaseUrl(request), ct));
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .DisableAntiforgery() // the cookie's unsafe requests are held to Kefu's own origin (UseOriginChecks); tokens need none
            .WithName("SetInboxAvatar")
            .WithTags("Inboxes");

    public async Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(
        AgentIdentity caller, Guid inboxId, AvatarUpload? upload, string baseUrl, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Before the bytes are looked at: another workspace's inbox is "not found" whatever was sent.
            if (await InboxEdits.FindAsync(db, caller.TenantId, inboxId, cancellationToken) is null)
            {
                return (null, InboxErrors.InboxNotFound);
            }
        }

        var (bytes, image, error) = await InspectAsync(upload, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        var file = $"{Convert.ToHexStringLower(SHA256.HashData(bytes!))}.{image!.Extension}";
        await avatars.WriteAsync(file, bytes, cancellationToken);
        string? previous = null;
        var result = await edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            previous = inbox.AvatarFile;
            inbox.AvatarFile = file;
            return ($"avatar {image.ContentType} {image.Width}x{image.Height}", null);
        }, cancellationToken);
        if (result.Error is not null)
        {
            await avatars.ReleaseAsync(file, cancellationToken); // the inbox went away meanwhile: keep no file for it
            return result;
        }

        // Another inbox may have let go of the same picture between the write and the commit and removed the file.
        await avatars.WriteAsync(file, bytes, cancellationToken);
        if (previous != file)
        {
            await avatars.ReleaseAsync(previous, cancellationToken);
        }

        return result;
    }

    private static async Task<(byte[]?, AvatarImage?, KefuError?)> InspectAsync(AvatarUpload? upload, CancellationToken cancellationToken)
    {
        if (upload is null || upload.Length <= 0)
        {
            return (null, null, Missing);
        }

        if (upload.Length > AvatarImage.MaxBytes)
        {
            return (null, null, TooLarge);
        }

        // One byte more than allowed tells a body longer than it announced from one that fits.
        var bytes = new byte[AvatarImage.MaxBytes + 1];
        var read = await upload.Content.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
        if (read > AvatarImage.MaxBytes)
        {
            return (null, null, TooLarge);
        }

        Array.Resize(ref bytes, read);
        var image = AvatarImage.Inspect(bytes);
        if (image is null)
        {
            return (null, null, NotAnImage);
        }

        return image.Width is < AvatarImage.MinSide or > AvatarImage.MaxSide || image.Height is < AvatarImage.MinSide or > AvatarImage.MaxSide
            ? (null, null, WrongSize)
            : (bytes, image, null);
    }

    /// <summary>
    /// Reads the form here rather than by parameter binding, so the size limit applies before a byte is read: a body
    /// announced or running past it stops there and answers <see cref="TooLarge"/>.
    /// </summary>
    private static async Task<AvatarUpload?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = AvatarImage.MaxBytes + MultipartOverhead;
        if (request.ContentLength > limit)
        {
            return new AvatarUpload(Stream.Null, long.MaxValue);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form.Files.Count == 1 ? new AvatarUpload(form.Files[0].OpenReadStream(), form.Files[0].Length) : null;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new AvatarUpload(Stream.Null, long.MaxValue);
        }
        catch (InvalidDataException)
        {
            return null; // malformed multipart, or a part over the form's own limits
        }
    }
}
