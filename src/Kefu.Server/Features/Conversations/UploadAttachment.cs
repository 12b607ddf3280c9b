using Kefu.Server.Features.Accounts;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// <c>POST /api/v1/attachments</c> (multipart, field <c>file</c>) by a visitor or an agent. The file
/// is checked and stored; it becomes part of a conversation when its uploader sends a message with it.
/// </summary>
internal static class UploadAttachment
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/attachments", HandleAsync)
            .WithName("UploadAttachment")
            .WithTags("Attachments")
            .DisableAntiforgery() // token-authenticated; the cookie is SameSite=Lax, so no cross-site POST carries it
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = $"{VisitorAuthentication.SchemeName},{AccountsModule.AgentScheme}" });

    private static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> HandleAsync(
        IFormFile? file, HttpContext http, AttachmentStore store, ConversationMapper mapper, CancellationToken cancellationToken)
    {
        var visitor = VisitorIdentity.From(http.User);
        var agent = visitor is null ? AgentIdentity.From(http.User) : null;
        if (visitor is null && agent is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in first.");
        }

        if (file is null || file.Length == 0)
        {
            return KefuProblems.Problem(AttachmentStore.Missing);
        }

        await using var input = file.OpenReadStream();
        var uploader = new Uploader(visitor?.TenantId ?? agent!.TenantId, visitor?.ContactId, agent?.UserId);
        var (attachment, error) = await store.SaveAsync(input, file.Length, file.FileName, uploader, cancellationToken);
        if (error is not null)
        {
            return KefuProblems.Problem(error);
        }

        var dto = mapper.ToDto(attachment!);
        return TypedResults.Created(dto.Url, dto);
    }
}
