using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Notifications;

/// <summary>The bell's ticket lines (<see cref="ITicketAlerts"/>), like the low-score lines but keyed by ticket.</summary>
internal sealed class TicketAlerts(IMessageFanout fanout) : ITicketAlerts
{
    public async Task AddAsync(KefuDbContext db, Guid tenantId, Guid ticketId, IReadOnlyCollection<Guid> agentIds, TicketAlertKind alert, Guid? actorId, DateTime at, CancellationToken cancellationToken)
    {
        if (agentIds.Count == 0)
        {
            return;
        }

        var kind = alert switch
        {
            TicketAlertKind.Reply => NotificationKind.TicketReply,
            TicketAlertKind.CustomerReply => NotificationKind.TicketCustomerReply,
            _ => NotificationKind.TicketStatus,
        };
        // Lines added earlier in this unit of work (two customer messages of one batch) are raised, not added twice.
        var pending = db.Notifications.Local.Where(n => n.TicketId == ticketId && n.Kind == kind).ToDictionary(n => n.AgentId);
        var stored = await db.Notifications.Where(n => n.TicketId == ticketId && n.Kind == kind && EF.Parameter(agentIds).Contains(n.AgentId))
            .ToDictionaryAsync(n => n.AgentId, cancellationToken);
        foreach (var agent in agentIds.Distinct())
        {
            if ((pending.GetValueOrDefault(agent) ?? stored.GetValueOrDefault(agent)) is { } line)
            {
                line.Count = line.ReadAt is null ? line.Count + 1 : 1;
                line.ReadAt = null;
                line.ActorId = actorId;
                line.UpdatedAt = at > line.UpdatedAt ? at : line.UpdatedAt;
                continue;
            }

            db.Notifications.Add(new AgentNotification
            {
                Id = Guid.CreateVersion7(at), TenantId = tenantId, AgentId = agent, Kind = kind, TicketId = ticketId, ActorId = actorId,
                Count = 1, CreatedAt = at, UpdatedAt = at,
            });
        }
    }

    public void Announce(Guid tenantId, IEnumerable<Guid> agentIds)
    {
        foreach (var agent in agentIds.Distinct())
        {
            fanout.NotificationsChanged(tenantId, agent);
        }
    }
}
