using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary><c>PUT /api/v1/teams/{id}</c>: renames a team (unique in the workspace). Audited.</summary>
internal sealed class RenameTeam(IDbContextFactory<KefuDbContext> dbs, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/teams/{id:guid}", async Task<Results<Ok<TeamDto>, ProblemHttpResult>> (Guid id, CreateTeamRequest request, HttpContext http, RenameTeam handler, CancellationToken ct) =>
            {
                var (team, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(team!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("RenameTeam")
            .WithTags("Agents");

    public async Task<(TeamDto? Team, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, CreateTeamRequest request, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.People, ct))
        {
            return (null, RoutingErrors.Forbidden);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id && t.TenantId == caller.TenantId, ct);
        if (team is null)
        {
            return (null, RoutingErrors.TeamNotFound);
        }

        var name = SafeText.SingleLine(request.Name);
        if (name.Length is 0 or > 100)
        {
            return (null, TeamErrors.NameInvalid);
        }

        if (await db.Teams.AnyAsync(t => t.TenantId == caller.TenantId && t.Name == name && t.Id != id, ct))
        {
            return (null, TeamErrors.NameTaken);
        }

        if (team.Name != name)
        {
            team.Name = name;
            audit.Add(db, new AuditRecord(AuditActions.TeamUpdated, "team", id.ToString(), "renamed").By(caller));
            await db.SaveChangesAsync(ct);
        }

        return (new TeamDto(team.Id, team.Name, await db.TeamMembers.CountAsync(m => m.TeamId == id, ct)), null);
    }
}
