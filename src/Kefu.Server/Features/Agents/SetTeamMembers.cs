using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary>The people of a team.</summary>
/// <param name="AgentIds">Every member, replacing the current ones; people of this workspace, at most 1,000.</param>
public sealed record TeamMembersRequest(IReadOnlyList<Guid>? AgentIds);

/// <summary>
/// <c>PUT /api/v1/teams/{id}/members</c>: replaces a team's members. Team scope and routing see the change at once on
/// this node, within seconds on others. Audited with the counts added and removed.
/// </summary>
internal sealed class SetTeamMembers(IDbContextFactory<KefuDbContext> dbs, IAccessControl access, RoutingSignal signal, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/teams/{id:guid}/members", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, TeamMembersRequest request, HttpContext http, SetTeamMembers handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("SetTeamMembers")
            .WithTags("Agents");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, TeamMembersRequest request, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.People, ct))
        {
            return RoutingErrors.Forbidden;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Teams.AnyAsync(t => t.Id == id && t.TenantId == caller.TenantId, ct))
        {
            return RoutingErrors.TeamNotFound;
        }

        var wanted = request.AgentIds?.Distinct().ToList() ?? [];
        if (wanted.Count > 1000 || await db.Users.CountAsync(u => u.TenantId == caller.TenantId && wanted.Contains(u.Id), ct) != wanted.Count)
        {
            return TeamErrors.MembersInvalid;
        }

        var current = await db.TeamMembers.Where(m => m.TeamId == id).ToListAsync(ct);
        var removed = current.Where(m => !wanted.Contains(m.UserId)).ToList();
        var added = wanted.Where(u => current.All(m => m.UserId != u)).Select(u => new TeamMember { TeamId = id, UserId = u }).ToList();
        if (removed.Count + added.Count == 0)
        {
            return null;
        }

        db.TeamMembers.RemoveRange(removed);
        db.TeamMembers.AddRange(added);
        audit.Add(db, new AuditRecord(AuditActions.TeamUpdated, "team", id.ToString(), $"members added={added.Count} removed={removed.Count}").By(caller));
        await db.SaveChangesAsync(ct);
        access.Invalidate(caller.TenantId);
        signal.Notify();
        return null;
    }
}
