using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>
/// A workspace's masking kinds for the message path, cached briefly per node. Read only for texts that
/// may hold something to mask; a change applies at once on the node that made it and within
/// <see cref="Lifetime"/> on the others.
/// </summary>
internal sealed class MaskingSettingsStore(IDbContextFactory<KefuDbContext> dbFactory, IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async ValueTask<MaskingKinds> KindsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(tenantId), out MaskingKinds kinds))
        {
            return kinds;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.MaskingSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        kinds = row?.Kinds ?? MaskingSettings.Defaults;
        cache.Set(Key(tenantId), kinds, Lifetime);
        return kinds;
    }

    public void Forget(Guid tenantId) => cache.Remove(Key(tenantId));

    private static (string, Guid) Key(Guid tenantId) => ("masking", tenantId);
}
