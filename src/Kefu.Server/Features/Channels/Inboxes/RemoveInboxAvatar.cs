using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary><c>DELETE /api/v1/inboxes/{id}/avatar</c> (settings permission): back to the widget's initial; the file goes once no inbox shows it.</summary>
internal sealed class RemoveInboxAvatar(InboxEdits edits, InboxAvatars avatars)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/inboxes/{id:guid}/avatar", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, HttpContext http, RemoveInboxAvatar handler, CancellationToken ct) =>
                InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, InboxHttp.BaseUrl(http.Request), ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("RemoveInboxAvatar")
            .WithTags("Inboxes");

    public async Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, string baseUrl, CancellationToken cancellationToken)
    {
        string? previous = null;
        var result = await edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            previous = inbox.AvatarFile;
            inbox.AvatarFile = null;
            return ("avatar removed", null);
        }, cancellationToken);
        if (result.Error is null)
        {
            await avatars.ReleaseAsync(previous, cancellationToken);
        }

        return result;
    }
}
