using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Notifications.Contracts;

/// <summary>What happened on a ticket its followers hear of.</summary>
public enum TicketAlertKind
{
    /// <summary>A public reply by an agent.</summary>
    Reply,

    /// <summary>The customer wrote.</summary>
    CustomerReply,

    /// <summary>The status changed.</summary>
    StatusChanged,
}

/// <summary>
/// Bell lines for a ticket's followers, written in the caller's transaction so the change and its lines commit
/// together: one line per agent, ticket and kind, raised again (count + 1, unread) when it happens again.
/// </summary>
internal interface ITicketAlerts
{
    /// <summary>Adds or raises the lines on <paramref name="db"/>; the caller saves, then calls <see cref="Announce"/>.</summary>
    Task AddAsync(KefuDbContext db, Guid tenantId, Guid ticketId, IReadOnlyCollection<Guid> agentIds, TicketAlertKind kind, Guid? actorId, DateTime at, CancellationToken cancellationToken);

    /// <summary>Tells each agent's consoles to reload their bell, after the caller committed.</summary>
    void Announce(Guid tenantId, IEnumerable<Guid> agentIds);
}
