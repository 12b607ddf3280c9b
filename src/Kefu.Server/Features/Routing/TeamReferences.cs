using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>Counts inbox routing rules and queue entries that name a team.</summary>
internal sealed class TeamReferences(IDbContextFactory<KefuDbContext> dbs) : ITeamReferences
{
    public async Task<(int Inboxes, int Waiting)> CountAsync(Guid tenantId, Guid teamId, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var inboxes = await db.InboxRoutings.CountAsync(r => r.TenantId == tenantId && (r.TeamId == teamId || r.OverflowTeamId == teamId), cancellationToken);
        var waiting = await db.QueueEntries.CountAsync(e => e.TenantId == tenantId && e.TeamId == teamId, cancellationToken);
        return (inboxes, waiting);
    }
}
