using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>
/// <c>POST /api/v1/agents/{id}/deactivate</c> (admins): the person can no longer sign in (locked out with no
/// end), and every session they hold ends now: cookies, bearer and refresh tokens, and hub connections.
/// Their conversations and messages stay. Admins cannot deactivate themselves (the workspace would lose its admin).
/// </summary>
internal sealed class DeactivateAgent(UserManager<AgentUser> users, EndSessions sessions, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agents/{id:guid}/deactivate", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeactivateAgent handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .WithName("DeactivateAgent")
            .WithTags("Agents")
            .RequireAuthorization(AccessPolicies.For(Permission.People));

    public async Task<KefuError?> HandleAsync(AgentIdentity admin, Guid agentId)
    {
        var user = await users.FindByIdAsync(agentId.ToString());
        if (user is null || user.TenantId != admin.TenantId)
        {
            return RoutingErrors.AgentNotFound;
        }

        if (user.Id == admin.UserId)
        {
            return RoutingErrors.Invalid("You cannot deactivate yourself.");
        }

        // Nobody ends the access of someone holding permissions they lack (a supervisor cannot deactivate an admin).
        var workspace = await access.GetWorkspaceAsync(admin.TenantId, agentId);
        if (workspace.For(admin.UserId) is not { } mine || workspace.For(user.Id) is { } target && (target.Permissions & ~mine.Permissions) != Permission.None)
        {
            return RoutingErrors.Forbidden;
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        await sessions.EndAllAsync(user, "deactivated");
        access.Invalidate(admin.TenantId);
        await audit.WriteAsync(new AuditRecord(AuditActions.AgentDeactivated, "agent", user.Id.ToString()).By(admin));
        return null;
    }
}
