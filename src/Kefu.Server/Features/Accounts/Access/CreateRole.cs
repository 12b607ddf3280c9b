using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary><c>POST /api/v1/roles</c>: a workspace-defined role, with at most the permissions the caller holds. Audited.</summary>
internal sealed class CreateRole(IDbContextFactory<KefuDbContext> dbs, IAccessControl access, IAuditLog audit, TimeProvider clock)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/roles", async Task<Results<Created<RoleDto>, ProblemHttpResult>> (RoleRequest request, HttpContext http, CreateRole handler, CancellationToken ct) =>
            {
                var (role, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Created($"/api/v1/roles/{role!.Id}", role) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("CreateRole")
            .WithTags("Access");

    public async Task<(RoleDto? Role, KefuError? Error)> HandleAsync(AgentIdentity caller, RoleRequest request, CancellationToken ct)
    {
        if (await access.ForAsync(caller, ct) is not { } mine || !mine.Has(Permission.People))
        {
            return (null, AccessErrors.BeyondOwn);
        }

        var (name, permissions, error) = Roles.Validate(request, mine.Permissions);
        if (error is not null)
        {
            return (null, error);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.CustomRoles.AnyAsync(r => r.TenantId == caller.TenantId && r.Name == name, ct))
        {
            return (null, AccessErrors.RoleNameTaken);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var role = new CustomRole { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = name, Permissions = permissions, CreatedAt = now, UpdatedAt = now };
        db.CustomRoles.Add(role);
        audit.Add(db, new AuditRecord(AuditActions.RoleCreated, "role", role.Id.ToString(), "permissions: " + string.Join(' ', Roles.Names(permissions))).By(caller));
        await db.SaveChangesAsync(ct);
        return (new RoleDto(role.Id.ToString(), role.Name, false, Roles.Names(permissions), 0), null);
    }
}
