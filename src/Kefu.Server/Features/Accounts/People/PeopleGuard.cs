using Kefu.Server.Features.Accounts.Access;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>
/// The one check before anyone changes a person: the caller holds the People permission now (the REST policy
/// checked it too, but the console calls handlers directly), the person is of the caller's workspace (another
/// workspace's is "not found", never "forbidden"), and the caller holds every permission the person holds, so a
/// supervisor cannot rename, reactivate or sign out an admin.
/// </summary>
internal sealed class PeopleGuard(IAccessControl access, IDbContextFactory<KefuDbContext> dbs)
{
    /// <summary>Null when <paramref name="caller"/> may manage <paramref name="targetId"/>; otherwise why not.</summary>
    public async Task<KefuError?> CheckAsync(AgentIdentity caller, Guid targetId, CancellationToken ct)
    {
        var workspace = await access.GetWorkspaceAsync(caller.TenantId, targetId, ct);
        if (workspace.For(caller) is not { } mine || !mine.Has(Permission.People))
        {
            return PeopleErrors.Forbidden;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == targetId && u.TenantId == caller.TenantId)
            .Select(u => new { u.Role, u.CustomRoleId }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return PeopleErrors.AgentNotFound;
        }

        // A deactivated person is not in the snapshot: their role's permissions come from the database.
        var theirs = workspace.For(targetId)?.Permissions ?? (user.CustomRoleId is { } custom
            ? await db.CustomRoles.Where(r => r.Id == custom).Select(r => r.Permissions).FirstOrDefaultAsync(ct)
            : BuiltInRoles.Of(user.Role));
        return Roles.Within(theirs, mine.Permissions) ? null : PeopleErrors.Forbidden;
    }

    /// <summary>The caller's permissions when they hold the People permission now; null otherwise.</summary>
    public async Task<AgentAccess?> ManagerAsync(AgentIdentity caller, CancellationToken ct) =>
        await access.ForAsync(caller, ct) is { } mine && mine.Has(Permission.People) ? mine : null;
}
