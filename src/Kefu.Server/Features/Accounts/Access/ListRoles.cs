using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary><c>GET /api/v1/roles</c>: the built-in roles, then the workspace's own, with their permissions and holders.</summary>
internal sealed class ListRoles(IDbContextFactory<KefuDbContext> dbs)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/roles", async Task<Ok<IReadOnlyList<RoleDto>>> (HttpContext http, ListRoles handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("ListRoles")
            .WithTags("Access");

    public async Task<IReadOnlyList<RoleDto>> HandleAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var holders = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId)
            .Select(u => new { u.Role, u.CustomRoleId, u.LockoutEnd }).ToListAsync(ct);
        holders.RemoveAll(u => u.LockoutEnd == DateTimeOffset.MaxValue); // deactivated
        var custom = await db.CustomRoles.AsNoTracking().Where(r => r.TenantId == tenantId).ToListAsync(ct);

        var roles = new List<RoleDto>();
        foreach (var role in Enum.GetValues<AgentRole>())
        {
            roles.Add(new RoleDto(role.ToString().ToLowerInvariant(), role.ToString(), true,
                Roles.Names(BuiltInRoles.Of(role)), holders.Count(h => h.CustomRoleId is null && h.Role == role)));
        }

        roles.AddRange(custom.OrderBy(r => r.Name, StringComparer.CurrentCulture).Select(r =>
            new RoleDto(r.Id.ToString(), r.Name, false, Roles.Names(r.Permissions), holders.Count(h => h.CustomRoleId == r.Id))));
        return roles;
    }
}
