using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Automation;

/// <summary>
/// Runs idle rules: every <see cref="AutomationOptions.SweepInterval"/>, on one node (lease <c>automation-idle</c>), each
/// open conversation whose last message is older than a rule's minutes gets that rule once per quiet spell (the event key
/// is the time of the last message, so a new message starts a new spell). Time from the injected clock.
/// </summary>
internal sealed partial class IdleSweep(
    IDbContextFactory<KefuDbContext> dbFactory, RuleCache cache, RuleApplier applier, LeaseStore leases, TimeProvider time,
    IOptions<AutomationOptions> options, ILogger<IdleSweep> logger) : BackgroundService
{
    public const string LeaseName = "automation-idle";
    public const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.SweepInterval, time, stoppingToken);
                try
                {
                    if (await leases.HoldAsync(LeaseName, options.Value.SweepInterval * 3, stoppingToken))
                    {
                        await SweepAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
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

    /// <summary>One pass over every idle rule; returns how many (rule, conversation) pairs were tested.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var tested = 0;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var rule in await cache.IdleRulesAsync(cancellationToken))
        {
            var before = now.AddMinutes(-rule.IdleMinutes);
            List<(Guid Id, DateTime Last)> quiet;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                // Conversations this rule has not run on for their current quiet spell; the run's key is the spell's start.
                var rows = await db.Conversations.AsNoTracking()
                    .Where(c => c.TenantId == rule.TenantId && c.Status == ConversationStatus.Open && c.LastMessageAt <= before)
                    .Where(c => !db.AutomationRuns.Any(r => r.RuleId == rule.Id && r.ConversationId == c.Id && r.RanAt >= c.LastMessageAt))
                    .OrderBy(c => c.LastMessageAt).Take(BatchSize).Select(c => new { c.Id, c.LastMessageAt }).ToListAsync(cancellationToken);
                quiet = [.. rows.Select(r => (r.Id, r.LastMessageAt))];
            }

            foreach (var (id, last) in quiet)
            {
                await applier.ApplyAsync([rule], rule.TenantId, id, null, null, null, $"i:{last.Ticks}", 1, cancellationToken);
                tested++;
            }
        }

        return tested;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Idle automation pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
