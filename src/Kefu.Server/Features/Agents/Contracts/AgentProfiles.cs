using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents.Contracts;

/// <summary>Routing profiles of agents, for capabilities that read or assign agents.</summary>
internal static class AgentProfiles
{
    /// <summary>Gives every agent of the workspace a profile with defaults, so routing and capacity checks see them.</summary>
    public static async Task EnsureAsync(KefuDbContext db, Guid tenantId, DateTime now, CancellationToken cancellationToken)
    {
        var missing = await db.Users.Where(u => u.TenantId == tenantId && !db.AgentProfiles.Any(p => p.UserId == u.Id))
            .Select(u => u.Id).ToListAsync(cancellationToken);
        if (missing.Count == 0)
        {
            return;
        }

        db.AgentProfiles.AddRange(missing.Select(id => new AgentProfile { UserId = id, TenantId = tenantId, PresenceChangedAt = now }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created them at the same moment: theirs are as good as ours.
            db.ChangeTracker.Clear();
        }
    }
}
