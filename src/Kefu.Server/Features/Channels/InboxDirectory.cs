using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Kefu.Server.Features.Channels;

/// <summary>Inbox lookups for the hot paths (every widget load, hub connect and outbound message), cached briefly.</summary>
internal sealed class InboxDirectory(IDbContextFactory<KefuDbContext> dbFactory, IMemoryCache cache) : IInboxDirectory
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public Task<Inbox?> ByKeyAsync(string key, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(("inbox-key", key), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.WidgetKey == key && i.Channel == ChannelType.WebWidget && i.ArchivedAt == null, cancellationToken);
        });

    /// <inheritdoc />
    public Task<Inbox?> ByIdAsync(Guid id, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(("inbox-id", id), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Inboxes.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        });

    /// <inheritdoc />
    public void Forget(Inbox inbox)
    {
        cache.Remove(("inbox-id", inbox.Id));
        if (inbox.WidgetKey is { } key)
        {
            ForgetKey(key);
        }
    }

    /// <summary>A widget key changed or was withdrawn: it stops resolving on this node at once.</summary>
    public void ForgetKey(string key) => cache.Remove(("inbox-key", key));
}
