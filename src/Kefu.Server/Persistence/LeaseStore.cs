using System.Collections.Concurrent;
using Kefu.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Persistence;

/// <summary>
/// Takes and renews <see cref="Lease"/>s with conditional updates that work the same on SQLite and PostgreSQL,
/// so each background job runs on one node at a time. A held lease is renewed once a third of it has passed,
/// not on every call: asking is free on the hot loop, and the write lock stays with the message writer.
/// </summary>
internal sealed partial class LeaseStore(
    IDbContextFactory<KefuDbContext> dbFactory, NodeIdentity node, IOptions<ClusterOptions> options, TimeProvider time, ILogger<LeaseStore> logger)
{
    private readonly ConcurrentDictionary<string, DateTime> _held = new(StringComparer.Ordinal);

    /// <summary>True when this node holds the lease (taking or renewing it if needed).</summary>
    public Task<bool> HoldAsync(string name, CancellationToken cancellationToken) => HoldAsync(name, options.Value.LeaseDuration, cancellationToken);

    /// <summary>
    /// As <see cref="HoldAsync(string, CancellationToken)"/> with a lease of its own length: a daily job holds a lease
    /// for a day, so no other node runs it again the same day (a dead holder's lease lapses within that time).
    /// </summary>
    public async Task<bool> HoldAsync(string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_held.TryGetValue(name, out var expires) && expires - now > duration * 2 / 3)
        {
            return true;
        }

        var until = now + duration;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var won = await db.Leases.Where(l => l.Name == name && (l.Holder == node.Id || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, node.Id).SetProperty(l => l.ExpiresAt, until), cancellationToken) > 0;
        if (!won && !await db.Leases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            db.Leases.Add(new Lease { Name = name, Holder = node.Id, ExpiresAt = until });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                won = true;
            }
            catch (DbUpdateException)
            {
                won = false; // another node created it first
            }
        }

        if (won)
        {
            if (!_held.ContainsKey(name))
            {
                LogTaken(logger, name, node.Id);
            }

            _held[name] = until;
        }
        else if (_held.TryRemove(name, out _))
        {
            LogLost(logger, name, node.Id);
        }

        return won;
    }

    /// <summary>Gives the lease up at once (on shutdown), so another node need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string name, CancellationToken cancellationToken)
    {
        if (!_held.TryRemove(name, out _))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Leases.Where(l => l.Name == name && l.Holder == node.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, now.AddSeconds(-1)), cancellationToken);
    }

    /// <summary>
    /// <see cref="ReleaseAsync"/> for a job that is stopping: bounded to a few seconds and never throwing, since
    /// a lease not given up lapses on its own.
    /// </summary>
    public async Task ReleaseOnShutdownAsync(string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ReleaseAsync(name, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReleaseFailed(logger, ex, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the {Lease} lease; it lapses on its own")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} took the {Lease} lease")]
    private static partial void LogTaken(ILogger logger, string lease, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} lost the {Lease} lease")]
    private static partial void LogLost(ILogger logger, string lease, string node);
}
