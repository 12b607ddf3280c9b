using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>
/// <c>POST /api/v1/agents/{id}/reactivate</c>: a deactivated person may sign in again with their password (their
/// sessions stay ended; they sign in afresh) and takes conversations within seconds. Reactivating an active person
/// changes nothing. Audited.
/// </summary>
internal sealed class ReactivateAgent(UserManager<AgentUser> users, PeopleGuard guard, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agents/{id:guid}/reactivate", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, ReactivateAgent handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("ReactivateAgent")
            .WithTags("Agents");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (await guard.CheckAsync(caller, id, ct) is { } denied)
        {
            return denied;
        }

        var user = (await users.FindByIdAsync(id.ToString()))!;
        if (user.LockoutEnd != DateTimeOffset.MaxValue)
        {
            return null;
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        access.Invalidate(caller.TenantId);
        await audit.WriteAsync(new AuditRecord(AuditActions.AgentReactivated, "agent", id.ToString()).By(caller), ct);
        return null;
    }
}
