using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary>A new team (skill group).</summary>
/// <param name="Name">Unique within the workspace, 1–100 characters.</param>
public sealed record CreateTeamRequest(string? Name);

/// <summary>A team.</summary>
/// <param name="Id">Team id.</param>
/// <param name="Name">Name.</param>
/// <param name="Members">How many people belong to it.</param>
public sealed record TeamDto(Guid Id, string Name, int Members = 0);

/// <summary><c>POST /api/v1/teams</c> (supervisor or admin) and <c>GET /api/v1/teams</c>.</summary>
internal sealed class CreateTeam(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/teams", async Task<Results<Created<TeamDto>, ProblemHttpResult>> (CreateTeamRequest request, HttpContext http, CreateTeam handler, CancellationToken ct) =>
            {
                var (team, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Created($"/api/v1/teams/{team!.Id}", team) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("CreateTeam")
            .WithTags("Agents");
        api.MapGet("/teams", async (HttpContext http, IDbContextFactory<KefuDbContext> dbFactory, CancellationToken ct) =>
            {
                var tenantId = AgentIdentity.From(http.User)!.TenantId;
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return TypedResults.Ok(await db.Teams.Where(t => t.TenantId == tenantId).OrderBy(t => t.Name)
                    .Select(t => new TeamDto(t.Id, t.Name, db.TeamMembers.Count(m => m.TeamId == t.Id))).ToListAsync(ct));
            })
            .WithName("ListTeams")
            .WithTags("Agents");
    }

    public async Task<(TeamDto?, KefuError?)> HandleAsync(AgentIdentity caller, CreateTeamRequest request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.People, cancellationToken))
        {
            return (null, RoutingErrors.Forbidden);
        }

        var name = SafeText.SingleLine(request.Name);
        if (name.Length is 0 or > 100)
        {
            return (null, TeamErrors.NameInvalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Teams.AnyAsync(t => t.TenantId == caller.TenantId && t.Name == name, cancellationToken))
        {
            return (null, TeamErrors.NameTaken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var team = new Team { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = name, CreatedAt = now };
        db.Teams.Add(team);
        audit.Add(db, new AuditRecord(AuditActions.TeamCreated, "team", team.Id.ToString()).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (new TeamDto(team.Id, team.Name), null);
    }
}
