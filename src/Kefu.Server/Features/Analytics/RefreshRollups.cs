using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// Rebuilds the rollups of closed hours marked dirty by <see cref="RecordConversationFacts"/>: each hour is read from its
/// facts and replaced whole, in one transaction with the removal of its mark (only at the version read, so a change that
/// lands meanwhile keeps the hour dirty). The current hour is never rolled up: reports read it from the facts.
/// </summary>
internal sealed class RefreshRollups(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public const int HoursPerPass = 100;

    /// <summary>Rebuilds up to <see cref="HoursPerPass"/> dirty closed hours, oldest first; returns how many.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var current = FactTimeline.HourOf(time.GetUtcNow().UtcDateTime);
        List<ReportDirtyHour> dirty;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            dirty = await db.ReportDirtyHours.AsNoTracking().Where(d => d.Hour < current).OrderBy(d => d.Hour).Take(HoursPerPass).ToListAsync(cancellationToken);
        }

        foreach (var hour in dirty)
        {
            await RebuildAsync(hour, cancellationToken);
        }

        return dirty.Count;
    }

    private async Task RebuildAsync(ReportDirtyHour dirty, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var facts = await db.ConversationFacts.AsNoTracking().Where(f => f.TenantId == dirty.TenantId && f.Hour == dirty.Hour).ToListAsync(cancellationToken);
        var (rollups, histograms) = RollupBuilder.Build(dirty.TenantId, facts);
        await db.ReportRollups.Where(r => r.TenantId == dirty.TenantId && r.Hour == dirty.Hour).ExecuteDeleteAsync(cancellationToken);
        await db.ReportHistograms.Where(r => r.TenantId == dirty.TenantId && r.Hour == dirty.Hour).ExecuteDeleteAsync(cancellationToken);
        db.ReportRollups.AddRange(rollups);
        db.ReportHistograms.AddRange(histograms);
        await db.SaveChangesAsync(cancellationToken);
        await db.ReportDirtyHours.Where(d => d.TenantId == dirty.TenantId && d.Hour == dirty.Hour && d.Version == dirty.Version).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>Runs <see cref="RefreshRollups"/> on one node at a time (the <c>report-rollups</c> lease), until no closed hour is dirty, then every interval.</summary>
internal sealed partial class RollupWorker(
    RefreshRollups refresh, LeaseStore leases, Microsoft.Extensions.Options.IOptions<AnalyticsOptions> options, TimeProvider time, ILogger<RollupWorker> logger)
    : BackgroundService
{
    public const string LeaseName = "report-rollups";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RollupIntervalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var rebuilt = 0;
                try
                {
                    rebuilt = await leases.HoldAsync(LeaseName, stoppingToken) ? await refresh.RunAsync(stoppingToken) : 0;
                    LogRebuilt(logger, rebuilt);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                if (rebuilt < RefreshRollups.HoursPerPass)
                {
                    await Task.Delay(interval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Report rollups: {Hours} hours rebuilt")]
    private static partial void LogRebuilt(ILogger logger, int hours);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report rollup pass failed; retried at the next pass")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
