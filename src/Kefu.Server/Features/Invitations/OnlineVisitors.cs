using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Invitations;

/// <summary>Where one visitor is now, as their widget last checked in.</summary>
internal sealed record Presence(Guid TenantId, Guid InboxId, Guid ContactId, string Url, int Pages, DateTime VisitStartedAt, DateTime PageSince, DateTime LastSeenAt)
{
    /// <summary>When the current minute of check-ins began (<see cref="OnlineVisitors.ChecksPerMinute"/>).</summary>
    public DateTime ChecksSince { get; init; } = LastSeenAt;

    /// <summary>Check-ins since <see cref="ChecksSince"/>, this one included.</summary>
    public int Checks { get; init; } = 1;

    /// <summary>True when this visitor checked in more often than a widget ever does: answer without reading anything.</summary>
    public bool TooFrequent => Checks > OnlineVisitors.ChecksPerMinute;
}

/// <summary>
/// The visitors browsing now, from their widgets' check-ins (every page load and every half minute). Kept in this
/// node's memory: a visitor's widget talks to one node at a time, and a list that is a minute stale is still useful;
/// a restart forgets it and the next check-ins rebuild it (ADR 0044).
/// </summary>
internal sealed class OnlineVisitors(TimeProvider time, IOptions<InvitationsOptions> options)
{
    /// <summary>
    /// Check-ins one visitor may make in a minute before they are answered without any work: a widget makes one per
    /// page and one every half minute, so this is only reached by a script.
    /// </summary>
    public const int ChecksPerMinute = 20;

    /// <summary>Visitors kept at most; beyond it a new visitor's check-in is answered but not listed.</summary>
    public const int MaxTracked = 100_000;

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, Presence> _visitors = new();
    private long _nextSweepTicks;

    /// <summary>Records a check-in: a new page counts once; a long silence starts a new visit.</summary>
    public Presence Touch(Guid tenantId, Guid inboxId, Guid contactId, string url)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var gap = TimeSpan.FromMinutes(options.Value.VisitGapMinutes);
        SweepIfDue(now, gap);
        var fresh = new Presence(tenantId, inboxId, contactId, url, 1, now, now, now);
        if (_visitors.Count >= MaxTracked && !_visitors.ContainsKey(contactId))
        {
            return fresh; // evaluated as a first page, not remembered: memory stays bounded whatever the traffic
        }

        return _visitors.AddOrUpdate(contactId, _ => fresh, (_, p) =>
        {
            if (now - p.LastSeenAt >= gap)
            {
                return fresh;
            }

            var counted = now - p.ChecksSince >= TimeSpan.FromMinutes(1) ? p with { ChecksSince = now, Checks = 1 } : p with { Checks = p.Checks + 1 };
            return counted.Url == url ? counted with { LastSeenAt = now }
                : counted with { Url = url, Pages = p.Pages + 1, PageSince = now, LastSeenAt = now };
        });
    }

    // Visitors who left are forgotten on a check-in at most once a minute, not only when an agent opens the list: a
    // server nobody watches would otherwise keep every visitor of the day.
    private void SweepIfDue(DateTime now, TimeSpan gap)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.Ticks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepEvery).Ticks, due) != due)
        {
            return;
        }

        var gone = now - TimeSpan.FromSeconds(options.Value.OnlineSeconds) - gap;
        foreach (var stale in _visitors.Values.Where(p => p.LastSeenAt < gone))
        {
            _visitors.TryRemove(stale.ContactId, out _);
        }
    }

    /// <summary>The workspace's visitors seen within <see cref="InvitationsOptions.OnlineSeconds"/>, longest on site first.</summary>
    public IReadOnlyList<Presence> Online(Guid tenantId)
    {
        var since = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(options.Value.OnlineSeconds);
        foreach (var stale in _visitors.Values.Where(p => p.LastSeenAt < since - TimeSpan.FromMinutes(options.Value.VisitGapMinutes)))
        {
            _visitors.TryRemove(stale.ContactId, out _);
        }

        return _visitors.Values.Where(p => p.TenantId == tenantId && p.LastSeenAt >= since).OrderBy(p => p.VisitStartedAt).ToList();
    }

    /// <summary>One online visitor of the workspace, or null.</summary>
    public Presence? Find(Guid tenantId, Guid contactId) => Online(tenantId).FirstOrDefault(p => p.ContactId == contactId);
}
