using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>Inbox lookups for the hot paths (every widget load and hub connect), cached briefly.</summary>
internal sealed class InboxDirectory(IDbContextFactory<KefuDbContext> dbFactory, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public Task<Inbox?> ByKeyAsync(string key, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(("inbox-key", key), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.WidgetKey == key, cancellationToken);
        });

    public Task<Inbox?> ByIdAsync(Guid id, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(("inbox-id", id), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        });

    /// <summary>An inbox changed: the next lookups read it again.</summary>
    public void Forget(Inbox inbox)
    {
        cache.Remove(("inbox-id", inbox.Id));
        cache.Remove(("inbox-key", inbox.WidgetKey));
    }
}

/// <summary>Which browser origins may use an inbox.</summary>
internal static class OriginPolicy
{
    /// <summary>
    /// True when the request has no Origin (not a browser: mobile SDKs, servers), comes from Kefu's
    /// own origin (the widget iframe, the demo page), or from a site the inbox allows.
    /// </summary>
    public static bool IsAllowed(HttpRequest request, Inbox inbox)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return inbox.AllowedOriginList().Any(o => o == "*" || string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
