using System.Collections.Concurrent;

namespace Kefu.Server.Features.Agents;

/// <summary>
/// Counts agents' live connections on this node, per workspace and per person: agent hub connections and
/// console circuits. Each connection holds a lease and gives it back when it ends, so a count never leaks.
/// Remembers when a person's last connection ended, for the offline grace period.
/// </summary>
/// <remarks>
/// This node only. With several nodes, an agent connected elsewhere is not seen here; docs/routing.md lists
/// shared presence (Redis) as the next step.
/// </remarks>
internal sealed class AgentPresence(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, int> _byTenant = new();
    private readonly ConcurrentDictionary<Guid, int> _byUser = new();
    private readonly ConcurrentDictionary<Guid, DateTime> _lastGone = new();

    /// <summary>Raised when a person's first connection opens or last one closes.</summary>
    public event Action<Guid>? Changed;

    /// <summary>A connection of a person we do not know (legacy callers); counts for the workspace only.</summary>
    public IDisposable Connect(Guid tenantId) => Connect(tenantId, Guid.Empty);

    /// <summary>An agent connection opened; dispose the result when it closes.</summary>
    public IDisposable Connect(Guid tenantId, Guid userId)
    {
        _byTenant.AddOrUpdate(tenantId, 1, (_, n) => n + 1);
        if (userId != Guid.Empty && _byUser.AddOrUpdate(userId, 1, (_, n) => n + 1) == 1)
        {
            Changed?.Invoke(userId);
        }

        return new Lease(this, tenantId, userId);
    }

    public int Count(Guid tenantId) => _byTenant.GetValueOrDefault(tenantId);

    public bool IsConnected(Guid userId) => _byUser.GetValueOrDefault(userId) > 0;

    /// <summary>Connected now, or the last connection ended less than <paramref name="grace"/> ago (a reload, a network blip).</summary>
    public bool IsPresent(Guid userId, TimeSpan grace) =>
        IsConnected(userId) || _lastGone.TryGetValue(userId, out var gone) && time.GetUtcNow().UtcDateTime - gone < grace;

    private void Disconnect(Guid tenantId, Guid userId)
    {
        _byTenant.AddOrUpdate(tenantId, 0, (_, n) => Math.Max(0, n - 1));
        if (userId != Guid.Empty && _byUser.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1)) == 0)
        {
            _lastGone[userId] = time.GetUtcNow().UtcDateTime;
            Changed?.Invoke(userId);
        }
    }

    private sealed class Lease(AgentPresence owner, Guid tenantId, Guid userId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Disconnect(tenantId, userId);
            }
        }
    }
}
