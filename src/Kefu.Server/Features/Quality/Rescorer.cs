using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Quality;

/// <summary>Wakes the <see cref="Rescorer"/> after a scorecard change, here and on other nodes.</summary>
internal sealed class RescoreSignal() : WakeSignal("quality-rescore");

/// <summary>
/// Scores the workspace's resolved conversations by a new scorecard version in the background, on one node (lease
/// <c>quality-rescore</c>), oldest resolution first, <see cref="QualityOptions.RescoreBatchSize"/> at a time. Each batch's
/// scores and the job's cursor (the latest resolve time scored) commit together, so a restart continues after the last
/// committed batch. A batch reads conversations resolved at or after the cursor that have no score of this version yet:
/// ties on the cursor's instant are picked up again, and nothing already scored is read twice.
/// </summary>
internal sealed partial class Rescorer(
    IDbContextFactory<KefuDbContext> dbFactory, ScoreWriter writer, RescoreSignal signal, LeaseStore leases, TimeProvider time,
    IOptions<QualityOptions> options, ILogger<Rescorer> logger) : BackgroundService
{
    public const string LeaseName = "quality-rescore";

    /// <summary>Before any conversation; a UTC instant both providers store (DateTime.MinValue is not one on PostgreSQL).</summary>
    private static readonly DateTime Floor = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var more = false;
                try
                {
                    if (await leases.HoldAsync(LeaseName, stoppingToken))
                    {
                        more = await RunBatchAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogBatchFailed(logger, ex);
                }

                if (!more)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.RescorePollSeconds), stoppingToken);
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

    /// <summary>One batch of the oldest pending job; true when there may be more to do at once.</summary>
    public async Task<bool> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Set<QualityRescoreJob>().Where(j => j.Status == RescoreStatus.Pending).OrderBy(j => j.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            return false;
        }

        var card = await writer.VersionAsync(db, job.ScorecardVersionId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (card is null)
        {
            (job.Status, job.FinishedAt) = (RescoreStatus.Superseded, now);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }

        var (tenant, inbox, version, cursor) = (job.TenantId, card.InboxId, job.ScorecardVersionId, job.Cursor ?? Floor);
        var batch = await db.Conversations.AsNoTracking()
            .Where(c => c.TenantId == tenant && c.Status == ConversationStatus.Resolved && c.ResolvedAt >= cursor && (inbox == null || c.InboxId == inbox))
            .Where(c => !db.Set<QualityScore>().Any(s => s.ScorecardVersionId == version && s.ConversationId == c.Id))
            .OrderBy(c => c.ResolvedAt).Take(options.Value.RescoreBatchSize).Select(c => new { c.Id, c.ResolvedAt }).ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            (job.Status, job.FinishedAt) = (RescoreStatus.Done, now);
            await db.SaveChangesAsync(cancellationToken);
            LogJobDone(logger, job.Id, job.Scored);
            return true;
        }

        var scripts = await ScoreWriter.LoadAsync(db, [.. batch.Select(c => c.Id)], cancellationToken);
        job.Scored += await writer.ScoreAsync(db, scripts, [(tenant, card)], cancellationToken);
        job.Cursor = batch.Max(c => c.ResolvedAt);
        await db.SaveChangesAsync(cancellationToken); // the scores and the cursor together: one transaction
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Quality rescoring batch failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quality rescoring job {JobId} done: {Scored} scores")]
    private static partial void LogJobDone(ILogger logger, Guid jobId, int scored);
}
