using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary><c>DELETE /api/v1/roles/{id}</c>: removes a custom role nobody holds (409 <c>role_in_use</c> otherwise). Audited.</summary>
internal sealed class DeleteRole(IDbContextFactory<KefuDbContext> dbs, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/roles/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeleteRole handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("DeleteRole")
            .WithTags("Access");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var role = await db.CustomRoles.FirstOrDefaultAsync(r => r.Id == id && r.TenantId == caller.TenantId, ct);
        if (role is null)
        {
            return AccessErrors.RoleNotFound;
        }

        if (await access.ForAsync(caller, ct) is not { } mine || !Roles.Within(role.Permissions, mine.Permissions))
        {
            return AccessErrors.BeyondOwn;
        }

        // Deactivated holders count too: reactivating one must not find their role gone.
        if (await db.Users.AnyAsync(u => u.CustomRoleId == id, ct))
        {
            return AccessErrors.RoleInUse;
        }

        db.CustomRoles.Remove(role);
        audit.Add(db, new AuditRecord(AuditActions.RoleDeleted, "role", id.ToString()).By(caller));
        await db.SaveChangesAsync(ct);
        return null;
    }
}
