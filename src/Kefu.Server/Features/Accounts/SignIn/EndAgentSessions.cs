using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// <c>POST /api/v1/agents/{id}/sessions/end</c> (the People permission): ends every session of an agent of the same workspace, on
/// every node, without locking them out (they may sign in again; deactivation is the way to stop that). An agent of
/// another workspace is 404.
/// </summary>
internal sealed class EndAgentSessions(UserManager<AgentUser> users, EndSessions sessions, People.PeopleGuard guard)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agents/{id:guid}/sessions/end", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, EndAgentSessions handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .WithName("EndAgentSessions")
            .WithTags("Agents")
            .RequireAuthorization(AccessPolicies.For(Permission.People));

    public async Task<KefuError?> HandleAsync(AgentIdentity admin, Guid agentId)
    {
        // Nobody signs out someone holding permissions they lack (a supervisor cannot end an admin's sessions).
        if (await guard.CheckAsync(admin, agentId, CancellationToken.None) is { } denied)
        {
            return denied;
        }

        if (await users.FindByIdAsync(agentId.ToString()) is not { } user || user.TenantId != admin.TenantId)
        {
            return SignInErrors.AgentNotFound;
        }

        // A new security stamp as well as the rows: tokens issued before session rows existed end too.
        await sessions.EndAllAsync(user, "ended_by_admin");
        return null;
    }
}
