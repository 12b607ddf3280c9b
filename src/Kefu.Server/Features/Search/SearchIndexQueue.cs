using System.Collections.Concurrent;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Messages waiting to be indexed, gathered from the durable lane's passes and written a few times a second in one
/// transaction each (ADR 0012, "Indexing off the message path's write lock"). The outbox hands events out every 25 ms
/// under load; an FTS5 insert per pass meant forty small write transactions a second on the single SQLite writer, each
/// a new index segment to merge later. Gathered for <see cref="Window"/>, the same rows cost a fraction.
/// The price: ids still here when a node stops hard are not in the index until a start's backfill adds them.
/// </summary>
internal sealed partial class SearchIndexQueue(IDbContextFactory<KefuDbContext> dbFactory, SqliteWriteGate gate, ILogger<SearchIndexQueue> logger)
{
    /// <summary>How long ids gather once the first arrives.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Ids per transaction: a catch-up, or a busy quarter second, is written in steps that never hold the write lock for
    /// long. FTS5 takes about a tenth of a millisecond per document here, so a chunk holds the lock for tens of
    /// milliseconds, and the message writer waiting behind it never for a whole flush.
    /// </summary>
    public const int ChunkSize = 500;

    /// <summary>Beyond this many (the database has been failing for a long while), the oldest are dropped for the backfill to find.</summary>
    public const int Capacity = 500_000;

    private readonly ConcurrentQueue<Guid> _ids = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly SemaphoreSlim _arrived = new(0, 1);

    /// <summary>How many ids are waiting.</summary>
    public int Count => _ids.Count;

    /// <summary>Queues messages for the index; returns at once.</summary>
    public void Add(IEnumerable<Guid> messageIds)
    {
        foreach (var id in messageIds)
        {
            _ids.Enqueue(id);
        }

        var dropped = 0;
        while (_ids.Count > Capacity && _ids.TryDequeue(out _))
        {
            dropped++;
        }

        if (dropped > 0)
        {
            LogDropped(logger, dropped);
        }

        if (_arrived.CurrentCount == 0)
        {
            try
            {
                _arrived.Release();
            }
            catch (SemaphoreFullException)
            {
                // A racing caller woke the flusher first: one wake-up serves both.
            }
        }
    }

    /// <summary>Waits until ids arrive (or <paramref name="timeout"/> passes).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _arrived.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Indexes everything queued so far, a chunk per transaction; returns how many documents were added. When a chunk
    /// fails, it and the rest go back on the queue and the exception propagates: the next flush tries them again.
    /// </summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var added = 0;
            var chunk = new List<Guid>(Math.Min(_ids.Count, ChunkSize));
            while (!_ids.IsEmpty)
            {
                chunk.Clear();
                while (chunk.Count < ChunkSize && _ids.TryDequeue(out var id))
                {
                    chunk.Add(id);
                }

                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                    added += await SearchIndexWriter.IndexMessagesAsync(db, gate, chunk.Distinct().ToList(), cancellationToken);
                }
                catch
                {
                    Add(chunk);
                    throw;
                }
            }

            return added;
        }
        finally
        {
            _flushing.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index queue full: {Dropped} message ids dropped; the next start's backfill indexes them")]
    private static partial void LogDropped(ILogger logger, int dropped);
}

/// <summary>Writes <see cref="SearchIndexQueue"/> to the index: a <see cref="SearchIndexQueue.Window"/> after ids arrive, and once more when the host stops.</summary>
internal sealed partial class FlushSearchIndex(SearchIndexQueue queue, ILogger<FlushSearchIndex> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (queue.Count == 0 && !await queue.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken))
                {
                    continue;
                }

                // Real time on purpose, like the outbox's own pause: a test's fake clock must not stall the index.
                await Task.Delay(SearchIndexQueue.Window, stoppingToken);
                try
                {
                    var added = await queue.FlushAsync(stoppingToken);
                    LogIndexed(logger, added);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFlushFailed(logger, ex, queue.Count);
                    await Task.Delay(RetryAfter, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await queue.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex, queue.Count); // the next start's backfill indexes them
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Search indexed {Added} messages")]
    private static partial void LogIndexed(ILogger logger, int added);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index write failed; {Waiting} messages wait for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex, int waiting);
}
