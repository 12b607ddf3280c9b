using Kefu.Server.Features.Surveys.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>Reads <see cref="SurveyRule.TicketAtOrBelow"/>: one primary-key read per answered survey.</summary>
internal sealed class SurveyTicketThresholds(IDbContextFactory<KefuDbContext> dbFactory) : ISurveyTicketThresholds
{
    public async Task<int?> AtOrBelowAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SurveyRule>().AsNoTracking().Where(r => r.InboxId == inboxId && r.TenantId == tenantId && r.Enabled)
            .Select(r => r.TicketAtOrBelow).FirstOrDefaultAsync(cancellationToken);
    }
}
