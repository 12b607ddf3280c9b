using System.Collections.Concurrent;
using Kefu.Server.Features.Agents.Contracts;

namespace Kefu.Server.Features.Agents;

/// <summary>
/// Counts agents' live connections per workspace on this node: agent hub connections and console
/// circuits. Each connection holds a lease and gives it back when it ends, so a count never leaks.
/// </summary>
internal sealed class AgentPresence : IAgentAvailability
{
    private readonly ConcurrentDictionary<Guid, int> _connections = new();

    /// <summary>An agent connection opened; dispose the result when it closes.</summary>
    public IDisposable Connect(Guid tenantId)
    {
        _connections.AddOrUpdate(tenantId, 1, (_, n) => n + 1);
        return new Lease(this, tenantId);
    }

    public int Count(Guid tenantId) => _connections.GetValueOrDefault(tenantId);

    /// <summary>
    /// Counts this node only. With several nodes behind a load balancer, an agent connected elsewhere is
    /// not seen: the routing issue replaces this with shared presence.
    /// </summary>
    public Task<bool> AnyAgentAvailableAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken) =>
        Task.FromResult(Count(tenantId) > 0);

    private void Disconnect(Guid tenantId) => _connections.AddOrUpdate(tenantId, 0, (_, n) => Math.Max(0, n - 1));

    private sealed class Lease(AgentPresence owner, Guid tenantId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Disconnect(tenantId);
            }
        }
    }
}
