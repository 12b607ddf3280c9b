using Kefu.Server.Features.Accounts;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// <c>POST /api/v1/attachments</c> (multipart, field <c>file</c>; a voice message adds <c>durationMs</c>) by a visitor or an agent. The file
/// is checked and stored; it becomes part of a conversation when its uploader sends a message with it.
/// </summary>
internal static class UploadAttachment
{
    /// <summary>Room for the multipart boundary and part headers around the file.</summary>
    public const long MultipartOverhead = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/attachments", HandleAsync)
            .WithName("UploadAttachment")
            .WithTags("Attachments")
            .Accepts<IFormFile>("multipart/form-data")
            .DisableAntiforgery() // token-authenticated; the cookie is SameSite=Lax, so no cross-site POST carries it
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = $"{VisitorAuthentication.SchemeName},{AccountsModule.AgentScheme}" });

    private static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, AttachmentStore store, ConversationMapper mapper, IOptions<ConversationsOptions> options, CancellationToken cancellationToken)
    {
        var visitor = VisitorIdentity.From(request.HttpContext.User);
        var agent = visitor is null ? AgentIdentity.From(request.HttpContext.User) : null;
        if (visitor is null && agent is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in first.");
        }

        if (ApplyLimits(request, store, options.Value) is { } tooLarge)
        {
            return KefuProblems.Problem(tooLarge);
        }

        if (!request.HasFormContentType)
        {
            return KefuProblems.Problem(AttachmentStore.Missing);
        }

        var (file, error) = await ReadFileAsync(request, store, cancellationToken);
        if (error is not null)
        {
            return KefuProblems.Problem(error);
        }

        // A voice message says how long it is (form field durationMs, milliseconds); other files do not.
        int? durationMs = null;
        if (request.Form.TryGetValue("durationMs", out var declared))
        {
            if (!int.TryParse(declared, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            {
                return KefuProblems.Problem(store.VoiceTooLong);
            }

            durationMs = ms;
        }

        await using var input = file!.OpenReadStream();
        var uploader = new Uploader(visitor?.TenantId ?? agent!.TenantId, visitor?.ContactId, agent?.UserId);
        var (attachment, saveError) = await store.SaveAsync(input, file.Length, file.FileName, uploader, cancellationToken, durationMs);
        if (saveError is not null)
        {
            return KefuProblems.Problem(saveError);
        }

        var dto = mapper.ToDto(attachment!);
        return TypedResults.Created(dto.Url, dto);
    }

    /// <summary>
    /// The form is read by <see cref="ReadFileAsync"/>, not by parameter binding, so that these limits apply before
    /// a byte is read: an announced length over the limit is refused at once, and a body that runs past it
    /// (chunked, or longer than announced) stops at the limit instead of being read in full.
    /// </summary>
    private static KefuError? ApplyLimits(HttpRequest request, AttachmentStore store, ConversationsOptions options)
    {
        var limit = store.MaxBytes + MultipartOverhead;
        if (request.ContentLength > limit)
        {
            return store.TooLarge;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        // Not a timer that cancels the read: Kestrel answers a cancelled body read by resetting the connection.
        // (HTTP/2 streams refuse a per-request rate; there the connection's flow control applies.)
        if (HttpProtocol.IsHttp11(request.Protocol) && request.HttpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(options.UploadMinBytesPerSecond, TimeSpan.FromSeconds(5));
        }

        return null;
    }

    private static async Task<(IFormFile?, KefuError?)> ReadFileAsync(HttpRequest request, AttachmentStore store, CancellationToken cancellationToken)
    {
        try
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form.Files.GetFile("file") is { Length: > 0 } file ? (file, null) : (null, AttachmentStore.Missing);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, store.TooLarge);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            return (null, AttachmentStore.UploadTimedOut);
        }
        catch (InvalidDataException)
        {
            return (null, AttachmentStore.Missing); // malformed multipart
        }
    }
}
