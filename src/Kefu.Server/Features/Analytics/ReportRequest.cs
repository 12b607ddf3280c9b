using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// The checks every report makes before reading: the caller holds the Reports permission now (pages call handlers
/// directly, so the endpoint's policy is not enough), and the parameters are valid for their workspace and inboxes.
/// </summary>
internal sealed class ReportRequest(IAccessControl access, IOptions<AnalyticsOptions> options, TimeProvider time)
{
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<(ReportScope? Scope, KefuError? Error)> ScopeAsync(
        KefuDbContext db, AgentIdentity agent, ReportParameters parameters, IQueryCollection query, IEnumerable<string> extra, CancellationToken cancellationToken)
    {
        if (await access.ForAsync(agent, cancellationToken) is not { } allowed || !allowed.Has(Permission.Reports))
        {
            return (null, AnalyticsErrors.Forbidden);
        }

        return await ReportQuery.ParseAsync(db, allowed, parameters, query, extra, Now, options.Value.MaxRangeDays, cancellationToken);
    }
}
