using System.Collections.Concurrent;
using System.Security.Claims;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>
/// Reads access from a per-workspace snapshot: each active agent's role (built-in or custom), inbox limits
/// and teams, loaded in four small queries and kept for <see cref="Lifetime"/>. Every authorization check,
/// hub call and fan-out reads it from memory; a change made on this node drops the snapshot at once, other
/// nodes see it within <see cref="Lifetime"/>. Roles are read here, not from the sign-in claims, so a
/// demotion takes effect without signing anyone out.
/// </summary>
internal sealed class AccessControl(IDbContextFactory<KefuDbContext> dbs, TimeProvider clock) : IAccessControl
{
    /// <summary>How stale another node's change can be.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, Snapshot> _workspaces = new();

    public async ValueTask<AgentAccess?> GetAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        AgentIdentity.From(user) is { } agent ? (await GetWorkspaceAsync(agent.TenantId, agent.UserId, ct)).For(agent) : null;

    public ValueTask<WorkspaceAccess> GetWorkspaceAsync(Guid tenantId, Guid? userId = null, CancellationToken ct = default) =>
        _workspaces.TryGetValue(tenantId, out var snapshot) && snapshot.Until > clock.GetUtcNow() && (userId is null || snapshot.Access.Knows(userId.Value))
            ? ValueTask.FromResult(snapshot.Access)
            : new ValueTask<WorkspaceAccess>(LoadAsync(tenantId, ct));

    public void Invalidate(Guid tenantId) => _workspaces.TryRemove(tenantId, out _);

    private async Task<WorkspaceAccess> LoadAsync(Guid tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking()
            .Where(u => u.TenantId == tenantId)
            .Select(u => new { u.Id, u.Role, u.CustomRoleId, u.LockoutEnd })
            .ToListAsync(ct);
        // Deactivated agents are locked out with no end (SQLite cannot compare DateTimeOffset in SQL, hence here).
        var inactive = users.Where(u => u.LockoutEnd == DateTimeOffset.MaxValue).Select(u => u.Id).ToHashSet();
        users.RemoveAll(u => inactive.Contains(u.Id));
        var roles = await db.Set<CustomRole>().AsNoTracking().Where(r => r.TenantId == tenantId)
            .ToDictionaryAsync(r => r.Id, r => r.Permissions, ct);
        var inboxes = (await db.Set<AgentInboxAccess>().AsNoTracking().Where(a => a.TenantId == tenantId).ToListAsync(ct))
            .ToLookup(a => a.UserId, a => a.InboxId);
        var teams = (await db.TeamMembers.AsNoTracking()
                .Where(m => db.Teams.Any(t => t.Id == m.TeamId && t.TenantId == tenantId)).ToListAsync(ct))
            .ToLookup(m => m.UserId, m => m.TeamId);

        var agents = users.ToDictionary(u => u.Id, u => new AgentAccess(
            u.Id,
            tenantId,
            u.CustomRoleId is { } custom ? roles.GetValueOrDefault(custom) : BuiltInRoles.Of(u.Role),
            inboxes.Contains(u.Id) ? inboxes[u.Id].ToHashSet() : null,
            teams[u.Id].ToHashSet()));
        var access = new WorkspaceAccess(tenantId, agents, inactive);
        _workspaces[tenantId] = new Snapshot(access, now + Lifetime);
        return access;
    }

    private sealed record Snapshot(WorkspaceAccess Access, DateTimeOffset Until);
}
