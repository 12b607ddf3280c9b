using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>
/// Deletes audit entries older than <see cref="AuditOptions.RetentionDays"/>, once a day, on one node (the
/// <c>audit-retention</c> lease, held for a day), a workspace at a time in batches of <see cref="BatchSize"/>, and
/// records one <c>audit.pruned</c> entry per workspace with the count. This is the only code that deletes entries.
/// </summary>
internal sealed partial class AuditRetention(
    IDbContextFactory<KefuDbContext> dbFactory,
    LeaseStore leases,
    IAuditLog audit,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditRetention> logger) : BackgroundService
{
    public const string LeaseName = "audit-retention";
    public const int BatchSize = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    /// <summary>How often a node checks whether a pass is due, or whether the holder's lease lapsed.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromHours(1);

    /// <summary>Not at the very start: the first minute belongs to migrations and reconnecting clients.</summary>
    private static readonly TimeSpan FirstPass = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var due = DateTime.MinValue;
        try
        {
            await Task.Delay(FirstPass, time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!await leases.HoldAsync(LeaseName, Interval, stoppingToken))
                    {
                        LogElsewhere(logger);
                    }
                    else if (time.GetUtcNow().UtcDateTime >= due)
                    {
                        await PruneAsync(stoppingToken);
                        due = time.GetUtcNow().UtcDateTime + Interval;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await Task.Delay(Poll, time, stoppingToken);
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

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var days = options.Value.RetentionDays;
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-days);
        List<Guid?> tenants;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            tenants = await db.AuditEntries.Where(e => e.OccurredAt < cutoff).Select(e => e.TenantId).Distinct().ToListAsync(cancellationToken);
        }

        foreach (var tenant in tenants)
        {
            var deleted = await PruneWorkspaceAsync(tenant, cutoff, cancellationToken);
            if (deleted is null)
            {
                return; // the lease moved on: its holder finishes the pass
            }

            LogPruned(logger, tenant, deleted.Value);
            if (deleted > 0 && tenant is { } tenantId)
            {
                await audit.WriteAsync(new AuditRecord(AuditActions.AuditPruned, "audit_log", null, $"deleted={deleted}; retentionDays={days}")
                {
                    TenantId = tenantId,
                }, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Deletes one workspace's old entries a batch at a time (each its own short statement, so the SQLite write lock
    /// is never held long); null when the lease was lost on the way.
    /// </summary>
    private async Task<int?> PruneWorkspaceAsync(Guid? tenant, DateTime cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            if (!await leases.HoldAsync(LeaseName, Interval, cancellationToken))
            {
                return null;
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var old = tenant is { } id
                ? db.AuditEntries.Where(e => e.TenantId == id && e.OccurredAt < cutoff)
                : db.AuditEntries.Where(e => e.TenantId == null && e.OccurredAt < cutoff);
            var deleted = await old.OrderBy(e => e.OccurredAt).Take(BatchSize).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit retention: another node holds the lease")]
    private static partial void LogElsewhere(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention: {Count} entries of workspace {TenantId} deleted")]
    private static partial void LogPruned(ILogger logger, Guid? tenantId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit retention pass failed; retried at the next check")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
