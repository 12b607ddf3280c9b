using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Routing;

/// <summary>Loads a workspace's agents as routing candidates: profile, teams, live connection, load.</summary>
internal sealed class RoutingAgents(IAgentPresence presence, IOptions<RoutingOptions> options, TimeProvider time, IAccessControl access)
{
    /// <summary>Connected now or within the grace period (always true when connections are not required).</summary>
    public bool IsPresent(Guid userId) => !options.Value.RequireConnection || presence.IsPresent(userId, options.Value.PresenceGrace);

    /// <summary>Gives every agent of the workspace a profile with defaults, so routing and capacity checks see them.</summary>
    public Task EnsureProfilesAsync(KefuDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        AgentProfiles.EnsureAsync(db, tenantId, time.GetUtcNow().UtcDateTime, cancellationToken);

    public async Task<List<AgentCandidate>> LoadAsync(KefuDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        await EnsureProfilesAsync(db, tenantId, cancellationToken);
        var profiles = await db.AgentProfiles.AsNoTracking().Where(p => p.TenantId == tenantId).ToListAsync(cancellationToken);
        var teams = (await db.TeamMembers.AsNoTracking()
                .Where(m => db.Teams.Any(t => t.Id == m.TeamId && t.TenantId == tenantId)).ToListAsync(cancellationToken))
            .ToLookup(m => m.UserId, m => m.TeamId);
        var loads = await db.Conversations
            .Where(c => c.TenantId == tenantId && c.AssigneeId != null && (c.Status == ConversationStatus.Open || c.Status == ConversationStatus.Pending))
            .GroupBy(c => c.AssigneeId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var offers = await db.QueueEntries.Where(q => q.TenantId == tenantId && q.State == QueueState.Offered && q.OfferedTo != null)
            .GroupBy(q => q.OfferedTo!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var workspace = await access.GetWorkspaceAsync(tenantId, ct: cancellationToken);
        if (profiles.Exists(p => !workspace.Knows(p.UserId)))
        {
            access.Invalidate(tenantId); // someone joined since the snapshot: they can be offered at once
            workspace = await access.GetWorkspaceAsync(tenantId, ct: cancellationToken);
        }

        var candidates = profiles.ConvertAll(p => new AgentCandidate(
            p.UserId, p.Presence, IsPresent(p.UserId), loads.GetValueOrDefault(p.UserId) + offers.GetValueOrDefault(p.UserId), p.Capacity,
            SkillSet.Parse(p.Skills), teams[p.UserId].ToHashSet(), p.LastAssignedAt, p.LastFreedAt)
        {
            // Deactivated agents have no access and no inbox: never offered anything.
            Inboxes = workspace.For(p.UserId) is { } a ? a.Inboxes : new HashSet<Guid>(),
        });
        RoutingEngine.OrderById(candidates);
        return candidates;
    }
}
