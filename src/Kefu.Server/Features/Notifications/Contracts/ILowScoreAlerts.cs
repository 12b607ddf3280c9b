using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Notifications.Contracts;

/// <summary>Bell lines for a low survey score, written in the caller's transaction so the answer and its alert commit together.</summary>
internal interface ILowScoreAlerts
{
    /// <summary>
    /// Adds (or raises again) a low-score line for each agent on <paramref name="db"/>; the caller saves, then calls
    /// <see cref="Announce"/>. Reads the existing lines with one query.
    /// </summary>
    Task AddAsync(KefuDbContext db, Guid tenantId, Guid conversationId, IReadOnlyCollection<Guid> agentIds, DateTime at, CancellationToken cancellationToken);

    /// <summary>Tells each agent's consoles to reload their bell, after the caller committed.</summary>
    void Announce(Guid tenantId, IEnumerable<Guid> agentIds);
}
