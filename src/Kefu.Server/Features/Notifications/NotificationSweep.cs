using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Notifications;

/// <summary>
/// Prunes the bell, hourly, on one node (the <c>notification-sweep</c> lease): lines not raised for
/// <see cref="NotificationOptions.RetentionDays"/>, and each agent's lines beyond the newest
/// <see cref="NotificationOptions.MaxPerAgent"/>. Batches are short statements, so SQLite's write lock is never held long.
/// </summary>
internal sealed partial class NotificationSweep(
    IDbContextFactory<KefuDbContext> dbFactory,
    LeaseStore leases,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationSweep> logger) : BackgroundService
{
    public const string LeaseName = "notification-sweep";
    public const int BatchSize = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Not at the very start: the first minute belongs to migrations and reconnecting clients.</summary>
    private static readonly TimeSpan FirstPass = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstPass, time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await leases.HoldAsync(LeaseName, Interval, stoppingToken))
                    {
                        var (old, excess) = await SweepAsync(stoppingToken);
                        LogSwept(logger, old, excess);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await Task.Delay(Interval, time, stoppingToken);
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

    private async Task<(int Old, int Excess)> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        var old = 0;
        int deleted;
        do
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            deleted = await db.Notifications.Where(n => n.UpdatedAt < cutoff).OrderBy(n => n.UpdatedAt).Take(BatchSize).ExecuteDeleteAsync(cancellationToken);
            old += deleted;
        }
        while (deleted == BatchSize);

        var max = options.Value.MaxPerAgent;
        List<Guid> crowded;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            crowded = await db.Notifications.GroupBy(n => n.AgentId).Where(g => g.Count() > max).Select(g => g.Key).ToListAsync(cancellationToken);
        }

        var excess = 0;
        foreach (var agent in crowded)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            excess += await db.Notifications.Where(n => n.AgentId == agent)
                .OrderByDescending(n => n.UpdatedAt).ThenByDescending(n => n.Id).Skip(max).ExecuteDeleteAsync(cancellationToken);
        }

        return (old, excess);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification sweep: {Old} lines past their age and {Excess} beyond an agent's limit deleted")]
    private static partial void LogSwept(ILogger logger, int old, int excess);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification sweep failed; retried at the next pass")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
