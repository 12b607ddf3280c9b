using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Persistence;

/// <summary>A durable consumer of outbox events (bot, routing, webhooks, reporting).</summary>
internal interface IOutboxConsumer
{
    /// <summary>True when this consumer wants events of this type.</summary>
    bool Handles(string type);

    /// <summary>Handles one event. Must be idempotent: an event can arrive more than once.</summary>
    Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>Wakes the dispatcher right after a commit instead of waiting for its next poll.</summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a racing commit: one wake-up is enough.
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Hands outbox events to their consumers at least once, in id order. A failing consumer is
/// retried on later passes and set aside after <see cref="MaxAttempts"/>; it never blocks the others.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IDbContextFactory<KefuDbContext> dbFactory,
    IEnumerable<IOutboxConsumer> consumers,
    OutboxSignal signal,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    private static readonly TimeSpan PassInterval = TimeSpan.FromMilliseconds(25);
    private readonly IOutboxConsumer[] _consumers = consumers.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DispatchBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, ex);
            }

            if (handled > 0)
            {
                // Under load, let events gather for a moment: fewer, larger passes keep the SQLite
                // write lock free for the message writer, at the cost of a few ms on this lane.
                // A throttle in real time on purpose: a test's fake clock must not stall the lane.
                await Task.Delay(PassInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            else
            {
                try
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.Outbox.Where(o => o.ProcessedAt == null).OrderBy(o => o.Id).Take(500).ToListAsync(cancellationToken);
        var done = new List<long>(batch.Count);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var message in batch)
        {
            var error = await DeliverAsync(message, cancellationToken);
            if (error is null)
            {
                done.Add(message.Id);
                db.Entry(message).State = EntityState.Detached;
                continue;
            }

            message.Attempts++;
            message.LastError = error;
            message.ProcessedAt = message.Attempts >= MaxAttempts ? now : null;
        }

        // One short statement for the common case keeps the SQLite write lock free for the message writer.
        if (done.Count > 0)
        {
            if (db.Database.IsSqlite())
            {
                // Marking done need not wait for the disk: if it is lost in a crash, the events are
                // handed out again, which at-least-once consumers must accept anyway. The next open
                // of this pooled connection sets synchronous=FULL again (PersistenceModule).
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
            }

            await db.Outbox.Where(o => done.Contains(o.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.ProcessedAt, now).SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }

    private async Task<string?> DeliverAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        List<OutboxMessage> events;
        try
        {
            events = Outbox.Expand(row).ToList();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // A row that cannot be read is retried and then set aside like any failing one, never a poison pill.
            return "Unreadable payload: " + ex.GetType().Name;
        }

        string? error = null;
        foreach (var message in events)
        {
            error = await DeliverOneAsync(message, cancellationToken) ?? error;
        }

        return error;
    }

    private async Task<string?> DeliverOneAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        string? error = null;
        foreach (var consumer in _consumers)
        {
            if (!consumer.Handles(message.Type))
            {
                continue;
            }

            try
            {
                await consumer.HandleAsync(message, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex.GetType().Name + ": " + ex.Message[..Math.Min(ex.Message.Length, 500)];
                LogConsumerFailed(logger, ex, consumer.GetType().Name, message.Id, message.Type);
            }
        }

        return error;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox consumer {Consumer} failed on event {EventId} ({Type})")]
    private static partial void LogConsumerFailed(ILogger logger, Exception ex, string consumer, long eventId, string type);
}
