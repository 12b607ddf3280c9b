using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary><c>GET /api/v1/inboxes</c> (settings permission): the workspace's inboxes, oldest first; deleted ones are left out.</summary>
internal sealed class ListInboxes(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes", async Task<Results<Ok<IReadOnlyList<InboxDto>>, ProblemHttpResult>> (HttpContext http, ListInboxes handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, InboxHttp.BaseUrl(http.Request), ct) is { } list
                    ? TypedResults.Ok(list)
                    : KefuProblems.Problem(InboxErrors.Forbidden))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("ListInboxes")
            .WithTags("Inboxes");

    /// <returns>The inboxes; null when the caller may not see inbox settings.</returns>
    public async Task<IReadOnlyList<InboxDto>?> HandleAsync(AgentIdentity caller, string baseUrl, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => i.TenantId == caller.TenantId && i.ArchivedAt == null)
            .OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        return [.. inboxes.Select(i => InboxDto.From(i, baseUrl))];
    }
}
