using System.Collections.Frozen;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// Every active subscription's events, by workspace, in one snapshot: the durable lane asks it whether an event is
/// wanted without touching the database, so a workspace without webhooks costs nothing per message. A change on this
/// node drops the snapshot; other nodes reload after <see cref="WebhookOptions.CacheLifetime"/>, and until then an old
/// snapshot only answers "maybe" (<see cref="MayWant"/>), so an event is never skipped for a subscription that exists.
/// </summary>
internal sealed class WebhookSubscriptionCache(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>An active subscription as the enqueuer needs it.</summary>
    public sealed record Entry(Guid Id, FrozenSet<string> Events);

    /// <summary>The active subscriptions of every workspace that has one.</summary>
    public sealed record Snapshot(FrozenDictionary<Guid, Entry[]> ByTenant, long LoadedAt);

    private volatile Snapshot? _snapshot;

    /// <summary>Drops the snapshot; the next pass reloads it.</summary>
    public void Invalidate() => _snapshot = null;

    /// <summary>False only when a current snapshot says no active subscription of the workspace wants this event.</summary>
    public bool MayWant(Guid tenantId, string eventType) =>
        _snapshot is not { } s || Stale(s) || (s.ByTenant.TryGetValue(tenantId, out var subscriptions) && subscriptions.Any(x => x.Events.Contains(eventType)));

    /// <summary>The current snapshot, reloading a missing or stale one with one query.</summary>
    public async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } s && !Stale(s))
        {
            return s;
        }

        var loadedAt = time.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.WebhookSubscriptions.AsNoTracking().Where(x => x.Status == WebhookStatus.Active)
            .Select(x => new { x.Id, x.TenantId, x.Events }).ToListAsync(cancellationToken);
        var fresh = new Snapshot(
            rows.GroupBy(r => r.TenantId).ToFrozenDictionary(g => g.Key, g => g.Select(r => new Entry(r.Id, r.Events.Split(' ').ToFrozenSet(StringComparer.Ordinal))).ToArray()),
            loadedAt);
        _snapshot = fresh;
        return fresh;
    }

    private bool Stale(Snapshot s) => time.GetElapsedTime(s.LoadedAt) > options.Value.CacheLifetime;
}
