using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>
/// <c>PUT /api/v1/roles/{id}</c>: renames a custom role or replaces its permissions; its holders get the new set
/// within seconds, without signing in again. Only by someone who holds both the old and the new permissions. Audited.
/// </summary>
internal sealed class UpdateRole(IDbContextFactory<KefuDbContext> dbs, IAccessControl access, IAuditLog audit, TimeProvider clock)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/roles/{id:guid}", async Task<Results<Ok<RoleDto>, ProblemHttpResult>> (Guid id, RoleRequest request, HttpContext http, UpdateRole handler, CancellationToken ct) =>
            {
                var (role, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(role!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("UpdateRole")
            .WithTags("Access");

    public async Task<(RoleDto? Role, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, RoleRequest request, CancellationToken ct)
    {
        if (await access.ForAsync(caller, ct) is not { } mine || !mine.Has(Permission.People))
        {
            return (null, AccessErrors.BeyondOwn);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var role = await db.CustomRoles.FirstOrDefaultAsync(r => r.Id == id && r.TenantId == caller.TenantId, ct);
        if (role is null)
        {
            return (null, AccessErrors.RoleNotFound);
        }

        var (name, permissions, error) = Roles.Validate(request, mine.Permissions);
        if (error is not null || !Roles.Within(role.Permissions, mine.Permissions))
        {
            return (null, error ?? AccessErrors.BeyondOwn);
        }

        if (await db.CustomRoles.AnyAsync(r => r.TenantId == caller.TenantId && r.Name == name && r.Id != id, ct))
        {
            return (null, AccessErrors.RoleNameTaken);
        }

        var before = role.Permissions;
        role.Name = name;
        role.Permissions = permissions;
        role.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, new AuditRecord(AuditActions.RoleUpdated, "role", id.ToString(),
            $"permissions: {string.Join(' ', Roles.Names(before))} -> {string.Join(' ', Roles.Names(permissions))}").By(caller));
        await db.SaveChangesAsync(ct);
        access.Invalidate(caller.TenantId);
        var holders = await db.Users.CountAsync(u => u.CustomRoleId == id, ct);
        return (new RoleDto(id.ToString(), name, false, Roles.Names(permissions), holders), null);
    }
}
