using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// Ends snoozes whose time has come, on one node (the <c>snooze-expiry</c> lease), every
/// <see cref="CollaborationOptions.SnoozeSweepSeconds"/>: each conversation is opened on its own (journaled, pushed
/// live), so one that fails is retried at the next pass without holding back the others.
/// </summary>
internal sealed partial class SnoozeExpiryWorker(
    IDbContextFactory<KefuDbContext> dbFactory, SnoozeStates states, LeaseStore leases, IOptions<CollaborationOptions> options,
    TimeProvider time, ILogger<SnoozeExpiryWorker> logger) : BackgroundService
{
    public const string LeaseName = "snooze-expiry";
    public const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.SnoozeSweepSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await leases.HoldAsync(LeaseName, interval * 4, stoppingToken))
                    {
                        await SweepAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await Task.Delay(interval, time, stoppingToken);
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

    /// <summary>Opens every snoozed conversation whose time has come; the count opened.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<(Guid TenantId, Guid ConversationId)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = [.. (await db.Snoozes.AsNoTracking().Where(s => s.Until != null && s.Until <= now).OrderBy(s => s.Until).Take(BatchSize)
                .Select(s => new { s.TenantId, s.ConversationId }).ToListAsync(cancellationToken)).Select(s => (s.TenantId, s.ConversationId))];
        }

        var opened = 0;
        foreach (var (tenant, conversation) in due)
        {
            try
            {
                opened += await states.OpenAsync(tenant, conversation, Actor.System, OpenedReasons.Time, null, cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogOpenFailed(logger, ex, conversation);
            }
        }

        return opened;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snooze of conversation {ConversationId} could not end; retried at the next pass")]
    private static partial void LogOpenFailed(ILogger logger, Exception ex, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snooze sweep failed; retried at the next pass")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
