using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary>A member of a team.</summary>
/// <param name="Id">User id.</param>
/// <param name="DisplayName">Name.</param>
/// <param name="Email">Sign-in e-mail.</param>
public sealed record TeamMemberDto(Guid Id, string DisplayName, string Email);

/// <summary>A team with its members.</summary>
/// <param name="Id">Team id.</param>
/// <param name="Name">Name.</param>
/// <param name="Members">Its people, by name.</param>
public sealed record TeamDetailsDto(Guid Id, string Name, IReadOnlyList<TeamMemberDto> Members);

/// <summary><c>GET /api/v1/teams/{id}</c> (the People permission): a team with its members.</summary>
internal sealed class GetTeam(IDbContextFactory<KefuDbContext> dbs, IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/teams/{id:guid}", async Task<Results<Ok<TeamDetailsDto>, ProblemHttpResult>> (Guid id, HttpContext http, GetTeam handler, CancellationToken ct) =>
            {
                var (team, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(team!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("GetTeam")
            .WithTags("Agents");

    public async Task<(TeamDetailsDto? Team, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.People, ct))
        {
            return (null, RoutingErrors.Forbidden);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.TenantId == caller.TenantId, ct);
        if (team is null)
        {
            return (null, RoutingErrors.TeamNotFound);
        }

        var members = await db.Users.AsNoTracking().Where(u => db.TeamMembers.Any(m => m.TeamId == id && m.UserId == u.Id))
            .OrderBy(u => u.DisplayName).Select(u => new TeamMemberDto(u.Id, u.DisplayName, u.Email ?? "")).ToListAsync(ct);
        return (new TeamDetailsDto(team.Id, team.Name, members), null);
    }
}
