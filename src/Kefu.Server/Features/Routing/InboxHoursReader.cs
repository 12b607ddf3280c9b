using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>Reads the inboxes' routing rows as calendars (<see cref="InboxRouting.Hours"/>): one query per workspace.</summary>
internal sealed class InboxHoursReader(IDbContextFactory<KefuDbContext> dbFactory) : IInboxHours
{
    public async Task<IReadOnlyDictionary<Guid, WeeklyHours>> ForWorkspaceAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<InboxRouting>().AsNoTracking().Where(r => r.TenantId == tenantId && r.BusinessHours != "").ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.InboxId, r => r.Hours());
    }
}
