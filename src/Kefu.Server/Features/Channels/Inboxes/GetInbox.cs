using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary><c>GET /api/v1/inboxes/{id}</c> (settings permission): one inbox with its embed snippet.</summary>
internal sealed class GetInbox(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, HttpContext http, GetInbox handler, CancellationToken ct) =>
                InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, InboxHttp.BaseUrl(http.Request), ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetInbox")
            .WithTags("Inboxes");

    /// <summary><c>GET /api/v1/inboxes/{id}/offline</c>: the inbox's offline form alone, beside its <c>PUT</c>.</summary>
    public static void MapOffline(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/offline", async Task<Results<Ok<OfflineForm>, ProblemHttpResult>> (Guid id, HttpContext http, GetInbox handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, InboxHttp.BaseUrl(http.Request), ct) is var (inbox, error) && error is null
                    ? TypedResults.Ok(inbox!.Offline) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetInboxOffline")
            .WithTags("Inboxes");

    public async Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, string baseUrl, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = await InboxEdits.FindAsync(db, caller.TenantId, inboxId, cancellationToken);
        return inbox is null ? (null, InboxErrors.InboxNotFound) : (InboxDto.From(inbox, baseUrl), null);
    }
}
