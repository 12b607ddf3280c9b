using System.Collections.Concurrent;
using Kefu.Server.Features.Agents.Contracts;

namespace Kefu.Server.Features.Agents;

/// <summary>The agent connections of one node: per workspace, and the people connected.</summary>
/// <param name="Tenants">Open agent connections per workspace.</param>
/// <param name="Users">People with at least one open connection.</param>
/// <param name="Version">Grows with every snapshot of the node, so a late-arriving older one is ignored.</param>
internal sealed record PresenceSnapshot(Dictionary<Guid, int> Tenants, Guid[] Users, long Version);

/// <summary>
/// Counts agents' live connections, per workspace and per person: agent hub connections and console circuits. Each
/// connection holds a lease and gives it back when it ends, so a count never leaks. Remembers when a person's last
/// connection ended, for the offline grace period.
/// </summary>
/// <remarks>
/// Cluster-wide when Redis is configured: this node's own connections are counted here, and the realtime module
/// publishes them (<see cref="LocalSnapshot"/>) and feeds in the other nodes' (<see cref="ApplyRemote"/>), so "is
/// anyone there?" and routing see agents connected to any node. Without Redis there is one node and nothing to merge.
/// </remarks>
internal sealed class AgentPresence(TimeProvider time) : IAgentPresence
{
    private readonly ConcurrentDictionary<Guid, int> _byTenant = new();
    private readonly ConcurrentDictionary<Guid, int> _byUser = new();
    private readonly ConcurrentDictionary<Guid, DateTime> _lastGone = new();
    private readonly ConcurrentDictionary<string, PresenceSnapshot> _remote = new(StringComparer.Ordinal);
    private readonly Lock _remoteLock = new();
    private long _version;

    /// <summary>Raised when a person's first connection (on any node) opens or their last one closes.</summary>
    public event Action<Guid>? Changed;

    /// <summary>Raised on every change of this node's own connections, for the cluster relay.</summary>
    public event Action? LocalChanged;

    /// <summary>A connection of a person we do not know (legacy callers); counts for the workspace only.</summary>
    public IDisposable Connect(Guid tenantId) => Connect(tenantId, Guid.Empty);

    /// <summary>An agent connection opened; dispose the result when it closes.</summary>
    public IDisposable Connect(Guid tenantId, Guid userId)
    {
        var wasPresent = userId != Guid.Empty && IsConnected(userId);
        _byTenant.AddOrUpdate(tenantId, 1, (_, n) => n + 1);
        if (userId != Guid.Empty)
        {
            _byUser.AddOrUpdate(userId, 1, (_, n) => n + 1);
            if (!wasPresent)
            {
                Changed?.Invoke(userId);
            }
        }

        LocalChanged?.Invoke();
        return new Lease(this, tenantId, userId);
    }

    /// <summary>Agent connections of the workspace, on every node.</summary>
    public int Count(Guid tenantId) => _byTenant.GetValueOrDefault(tenantId) + _remote.Values.Sum(s => s.Tenants.GetValueOrDefault(tenantId));

    /// <summary>True when the person has a connection open on any node.</summary>
    public bool IsConnected(Guid userId) => _byUser.GetValueOrDefault(userId) > 0 || _remote.Values.Any(s => s.Users.Contains(userId));

    /// <summary>Connected now, or the last connection ended less than <paramref name="grace"/> ago (a reload, a network blip).</summary>
    public bool IsPresent(Guid userId, TimeSpan grace) =>
        IsConnected(userId) || _lastGone.TryGetValue(userId, out var gone) && time.GetUtcNow().UtcDateTime - gone < grace;

    /// <summary>This node's own connections, to publish to the others.</summary>
    public PresenceSnapshot LocalSnapshot() => new(
        _byTenant.Where(t => t.Value > 0).ToDictionary(t => t.Key, t => t.Value),
        [.. _byUser.Where(u => u.Value > 0).Select(u => u.Key)],
        Interlocked.Increment(ref _version));

    /// <summary>Another node's connections as it last published them; null when the node is gone.</summary>
    public void ApplyRemote(string node, PresenceSnapshot? snapshot)
    {
        List<Guid> changed;
        lock (_remoteLock)
        {
            var before = _remote.TryGetValue(node, out var old) ? old.Users : [];
            if (snapshot is not null && old is not null && snapshot.Version < old.Version)
            {
                return; // overtaken by a newer one
            }

            if (snapshot is null)
            {
                _remote.TryRemove(node, out _);
            }
            else
            {
                _remote[node] = snapshot;
            }

            var after = snapshot?.Users ?? [];
            changed = [.. before.Except(after).Concat(after.Except(before))];
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var userId in changed)
        {
            if (!IsConnected(userId))
            {
                _lastGone[userId] = now;
            }

            Changed?.Invoke(userId);
        }
    }

    /// <summary>The other nodes whose connections are counted here.</summary>
    public IReadOnlyCollection<string> RemoteNodes() => [.. _remote.Keys];

    private void Disconnect(Guid tenantId, Guid userId)
    {
        _byTenant.AddOrUpdate(tenantId, 0, (_, n) => Math.Max(0, n - 1));
        if (userId != Guid.Empty && _byUser.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1)) == 0 && !IsConnected(userId))
        {
            _lastGone[userId] = time.GetUtcNow().UtcDateTime;
            Changed?.Invoke(userId);
        }

        LocalChanged?.Invoke();
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
