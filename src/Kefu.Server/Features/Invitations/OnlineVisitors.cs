using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Invitations;

/// <summary>Where one visitor is now, as their widget last checked in.</summary>
internal sealed record Presence(Guid TenantId, Guid InboxId, Guid ContactId, string Url, int Pages, DateTime VisitStartedAt, DateTime PageSince, DateTime LastSeenAt);

/// <summary>
/// The visitors browsing now, from their widgets' check-ins (every page load and every half minute). Kept in this
/// node's memory: a visitor's widget talks to one node at a time, and a list that is a minute stale is still useful;
/// a restart forgets it and the next check-ins rebuild it (ADR 0044).
/// </summary>
internal sealed class OnlineVisitors(TimeProvider time, IOptions<InvitationsOptions> options)
{
    private readonly ConcurrentDictionary<Guid, Presence> _visitors = new();

    /// <summary>Records a check-in: a new page counts once; a long silence starts a new visit.</summary>
    public Presence Touch(Guid tenantId, Guid inboxId, Guid contactId, string url)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var gap = TimeSpan.FromMinutes(options.Value.VisitGapMinutes);
        return _visitors.AddOrUpdate(contactId,
            _ => new Presence(tenantId, inboxId, contactId, url, 1, now, now, now),
            (_, p) => now - p.LastSeenAt >= gap ? new Presence(tenantId, inboxId, contactId, url, 1, now, now, now)
                : p.Url == url ? p with { LastSeenAt = now }
                : p with { Url = url, Pages = p.Pages + 1, PageSince = now, LastSeenAt = now });
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
