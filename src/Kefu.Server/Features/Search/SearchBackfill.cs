using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Indexes the messages written before search existed (or while its consumer was behind a restore), once per start,
/// on one node (the <c>search-backfill</c> lease): a walk over the messages in id order, a batch per transaction, each
/// batch skipping what is indexed already. On an indexed database the walk only reads ids.
/// </summary>
internal sealed partial class SearchBackfill(
    IDbContextFactory<KefuDbContext> dbFactory, SqliteWriteGate gate, LeaseStore leases, TimeProvider time, ILogger<SearchBackfill> logger) : BackgroundService
{
    public const string LeaseName = "search-backfill";
    public const int BatchSize = 2000;
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Retry = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await leases.HoldAsync(LeaseName, Hold, stoppingToken))
                    {
                        var started = time.GetTimestamp();
                        var (read, added) = await WalkAsync(stoppingToken);
                        LogDone(logger, read, added, (long)time.GetElapsedTime(started).TotalMilliseconds);
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex);
                }

                await Task.Delay(Retry, time, stoppingToken); // another node holds it, or the pass failed: try again later
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the next start walks again; what was indexed stays.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    private async Task<(long Read, long Added)> WalkAsync(CancellationToken cancellationToken)
    {
        long read = 0, added = 0;
        Guid? after = null;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            IQueryable<Message> messages = db.Messages.AsNoTracking();
            if (after is { } last)
            {
                messages = messages.Where(m => m.Id > last);
            }

            // Ids of version 7 grow with time on both providers, so the oldest are indexed first.
            var ids = await messages.OrderBy(m => m.Id).Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return (read, added);
            }

            read += ids.Count;
            added += await SearchIndexWriter.IndexMessagesAsync(db, gate, ids, cancellationToken);
            after = ids[^1];
            await leases.HoldAsync(LeaseName, Hold, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search backfill read {Read} messages and indexed {Added} in {ElapsedMs} ms")]
    private static partial void LogDone(ILogger logger, long read, long added, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search backfill failed; it is tried again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
