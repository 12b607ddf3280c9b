using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Notifications;

/// <summary>The bell's low-score lines: one per supervisor and conversation, raised again on a second low score.</summary>
internal sealed class LowScoreAlerts(IMessageFanout fanout) : ILowScoreAlerts
{
    public async Task AddAsync(KefuDbContext db, Guid tenantId, Guid conversationId, IReadOnlyCollection<Guid> agentIds, DateTime at, CancellationToken cancellationToken)
    {
        if (agentIds.Count == 0)
        {
            return;
        }

        var lines = await db.Notifications
            .Where(n => n.ConversationId == conversationId && n.Kind == NotificationKind.LowScore && EF.Parameter(agentIds).Contains(n.AgentId))
            .ToDictionaryAsync(n => n.AgentId, cancellationToken);
        foreach (var agent in agentIds)
        {
            if (lines.TryGetValue(agent, out var line))
            {
                line.Count = line.ReadAt is null ? line.Count + 1 : 1;
                line.ReadAt = null;
                line.UpdatedAt = at;
                continue;
            }

            db.Notifications.Add(new AgentNotification
            {
                Id = Guid.CreateVersion7(at), TenantId = tenantId, AgentId = agent, Kind = NotificationKind.LowScore, ConversationId = conversationId,
                Count = 1, CreatedAt = at, UpdatedAt = at,
            });
        }
    }

    public void Announce(Guid tenantId, IEnumerable<Guid> agentIds)
    {
        foreach (var agent in agentIds)
        {
            fanout.NotificationsChanged(tenantId, agent);
        }
    }
}
