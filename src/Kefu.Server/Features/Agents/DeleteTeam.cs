using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary>
/// <c>DELETE /api/v1/teams/{id}</c>: removes a team and its memberships. Refused (409 <c>team_in_use</c>) while an inbox
/// routes to it or a conversation waits for it: deleting it then would silently widen that inbox to everyone, or leave
/// the waiting visitors in a line nobody serves. Audited.
/// </summary>
internal sealed class DeleteTeam(IDbContextFactory<KefuDbContext> dbs, IAccessControl access, ITeamReferences references, RoutingSignal signal, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/teams/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeleteTeam handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("DeleteTeam")
            .WithTags("Agents");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.People, ct))
        {
            return RoutingErrors.Forbidden;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id && t.TenantId == caller.TenantId, ct);
        if (team is null)
        {
            return RoutingErrors.TeamNotFound;
        }

        if (await references.CountAsync(caller.TenantId, id, ct) is var (inboxes, waiting) && inboxes + waiting > 0)
        {
            return TeamErrors.InUse(inboxes, waiting);
        }

        var members = await db.TeamMembers.CountAsync(m => m.TeamId == id, ct);
        db.Teams.Remove(team); // memberships go with it (cascade)
        audit.Add(db, new AuditRecord(AuditActions.TeamDeleted, "team", id.ToString(), $"members={members}").By(caller));
        await db.SaveChangesAsync(ct);
        access.Invalidate(caller.TenantId);
        signal.Notify();
        return null;
    }
}
