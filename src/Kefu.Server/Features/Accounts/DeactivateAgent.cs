using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.People;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>
/// <c>POST /api/v1/agents/{id}/deactivate</c> (the People permission): the person can no longer sign in (locked out
/// with no end), and every session they hold ends now: cookies, bearer and refresh tokens, agent hub connections,
/// and open console circuits (which re-check their session and fall back to the sign-in page). Their open
/// conversations go back to the line (unassigned, queued again with their team and skills) so the router gives them
/// to someone who can answer; their messages stay. Nobody deactivates themselves (a workspace could lose its last admin that way) or someone
/// holding permissions they lack.
/// </summary>
internal sealed class DeactivateAgent(
    UserManager<AgentUser> users, EndSessions sessions, PeopleGuard guard, IAccessControl access, IAuditLog audit, IConversationRelease release)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agents/{id:guid}/deactivate", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeactivateAgent handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .WithName("DeactivateAgent")
            .WithTags("Agents")
            .RequireAuthorization(AccessPolicies.For(Permission.People));

    public async Task<KefuError?> HandleAsync(AgentIdentity admin, Guid agentId)
    {
        if (await guard.CheckAsync(admin, agentId, CancellationToken.None) is { } denied)
        {
            return denied;
        }

        if (agentId == admin.UserId)
        {
            return PeopleErrors.SelfDeactivation;
        }

        var user = (await users.FindByIdAsync(agentId.ToString()))!;
        if (user.LockoutEnd == DateTimeOffset.MaxValue)
        {
            return null; // already deactivated: nothing to end, nothing to audit again
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        await sessions.EndAllAsync(user, "deactivated");
        access.Invalidate(admin.TenantId);
        // After the sessions end, so the person cannot take a conversation back while it is being returned.
        await release.ReturnToLineAsync(admin.TenantId, user.Id, ReleaseReasons.Deactivated, CancellationToken.None);
        await audit.WriteAsync(new AuditRecord(AuditActions.AgentDeactivated, "agent", user.Id.ToString()).By(admin));
        return null;
    }
}
