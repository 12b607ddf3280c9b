using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Hosting.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Persistence;

/// <summary>A durable consumer of conversation events (bot, routing, channel senders, webhooks, reporting).</summary>
internal interface IOutboxConsumer
{
    /// <summary>A stable name: it is stored on a row while this consumer still owes it, so a retry reaches only the consumers that failed.</summary>
    string Name { get; }

    /// <summary>True when this consumer wants this event.</summary>
    bool Handles(ConversationEvent e);

    /// <summary>Handles one event. Must be idempotent: an event can arrive more than once.</summary>
    Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken);

    /// <summary>
    /// Handles the events of one outbox row that <see cref="Handles"/> accepted, in order (a group commit stores all
    /// its messages of a workspace in one row). The default hands them to <see cref="HandleAsync"/> one by one; a
    /// consumer that reads or writes the database per event overrides it to do that once per row. Idempotent as a whole:
    /// when it throws, the row comes back with every one of these events.
    /// </summary>
    async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            await HandleAsync(e, cancellationToken);
        }
    }
}

/// <summary>Wakes the dispatcher right after a commit instead of waiting for its next poll.</summary>
internal sealed class OutboxSignal() : WakeSignal("outbox");

/// <summary>
/// Hands outbox events to their consumers at least once, in id order, on one node at a time (the <c>outbox</c>
/// lease). A consumer that fails on a row is retried on later passes, alone (the row keeps the names of the
/// consumers that still owe it), and the row is set aside after <see cref="MaxAttempts"/>; a failing consumer
/// never blocks the others or makes them see an event twice.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IDbContextFactory<KefuDbContext> dbFactory,
    IEnumerable<IOutboxConsumer> consumers,
    OutboxSignal signal,
    LeaseStore leases,
    TimeProvider time,
    KefuMetrics metrics,
    SqliteWriteGate gate,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    public const string LeaseName = "outbox";
    private static readonly TimeSpan PassInterval = TimeSpan.FromMilliseconds(25);
    private readonly IOutboxConsumer[] _consumers = consumers.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var handled = 0;
                try
                {
                    // Another node holds the lease: wait, and try again when it may have lapsed.
                    handled = await leases.HoldAsync(LeaseName, stoppingToken) ? await DispatchBatchAsync(stoppingToken) : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                if (handled > 0)
                {
                    // Under load, let events gather for a moment: fewer, larger passes keep the SQLite write lock
                    // free for the message writer, at the cost of a few ms on this lane. A throttle in real time
                    // on purpose: a test's fake clock must not stall the lane.
                    await Task.Delay(PassInterval, stoppingToken);
                }
                else
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
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

    private async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.Outbox.Where(o => o.ProcessedAt == null).OrderBy(o => o.Id).Take(500).ToListAsync(cancellationToken);
        var done = new List<long>(batch.Count);
        var now = time.GetUtcNow().UtcDateTime;
        var failures = await DeliverAsync(batch, cancellationToken);
        var setAside = 0;
        foreach (var row in batch)
        {
            if (!failures.TryGetValue(row.Id, out var failed))
            {
                done.Add(row.Id);
                db.Entry(row).State = EntityState.Detached;
                continue;
            }

            row.Attempts++;
            row.LastError = failed.Error;
            row.Pending = string.Join(' ', failed.Owing);
            row.ProcessedAt = row.Attempts >= MaxAttempts ? now : null;
            setAside += row.ProcessedAt is null ? 0 : 1;
        }

        // One record per pass, never per row: the oldest row's age is the lane's lag (rows are read in id order).
        if (batch.Count > 0)
        {
            metrics.OutboxPass(now - batch[0].CreatedAt, done.Count, failures.Count - setAside, setAside);
        }

        // One short statement for the common case keeps the SQLite write lock free for the message writer, and the
        // gate puts it behind the writer (the consumers above took their own turns; never hold it across them).
        using var turn = await gate.EnterAsync(first: false, cancellationToken);
        if (done.Count > 0)
        {
            // Marking done need not wait for the disk: if it is lost in a crash, the events are handed out again,
            // which at-least-once consumers must accept anyway.
            await RelaxedDurability.UseAsync(db, cancellationToken);
            await db.Outbox.Where(o => EF.Parameter(done).Contains(o.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.ProcessedAt, now).SetProperty(o => o.Pending, (string?)null)
                    .SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }

    /// <summary>
    /// Delivers a pass's rows: each consumer gets every event it wants from all of them in one call, in id order (a
    /// busy server's pass holds dozens of group commits, and a consumer that writes then commits once, not once per
    /// row). When that call fails, the consumer gets the rows one by one, so one bad row cannot hold back the others.
    /// Returns the rows some consumer still owes, with those consumers and the last error.
    /// </summary>
    private async Task<Dictionary<long, (List<string> Owing, string? Error)>> DeliverAsync(List<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<long, (List<string> Owing, string? Error)>();
        var readable = new List<(OutboxMessage Row, IReadOnlyList<ConversationEvent> Events)>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                readable.Add((row, ConversationJournal.Read(row)));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                // A row that cannot be read is retried and then set aside like any failing one, never a poison pill.
                failures[row.Id] = ([.. Targets(row).Select(c => c.Name)], "Unreadable payload: " + ex.GetType().Name);
            }
        }

        foreach (var consumer in _consumers)
        {
            var involved = new List<(OutboxMessage Row, List<ConversationEvent> Events)>();
            foreach (var (row, events) in readable)
            {
                if (Targets(row).Contains(consumer) && events.Where(consumer.Handles).ToList() is { Count: > 0 } wanted)
                {
                    involved.Add((row, wanted));
                }
            }

            if (involved.Count == 0 || await TryHandleAsync(consumer, involved, [.. involved.SelectMany(i => i.Events)], failures, cancellationToken))
            {
                continue;
            }

            foreach (var one in involved.Count > 1 ? involved : [])
            {
                await TryHandleAsync(consumer, [one], one.Events, failures, cancellationToken);
            }
        }

        return failures;
    }

    /// <summary>One consumer call; a failure is recorded on every row involved when it is a single row's call.</summary>
    private async Task<bool> TryHandleAsync(
        IOutboxConsumer consumer, List<(OutboxMessage Row, List<ConversationEvent> Events)> involved, List<ConversationEvent> events,
        Dictionary<long, (List<string> Owing, string? Error)> failures, CancellationToken cancellationToken)
    {
        try
        {
            await consumer.HandleAllAsync(events, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogConsumerFailed(logger, ex, consumer.Name, involved[0].Row.Id, involved.Count, events[0].Type);
            if (involved.Count == 1)
            {
                var id = involved[0].Row.Id;
                var owing = failures.TryGetValue(id, out var earlier) ? earlier.Owing : [];
                owing.Add(consumer.Name);
                failures[id] = (owing, ex.GetType().Name + ": " + ex.Message[..Math.Min(ex.Message.Length, 500)]);
            }

            return false;
        }
    }

    private IEnumerable<IOutboxConsumer> Targets(OutboxMessage row) =>
        row.Pending is null ? _consumers : _consumers.Where(c => row.Pending.Split(' ').Contains(c.Name));

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox consumer {Consumer} failed on events from row {EventId} ({Rows} rows, first event {Type})")]
    private static partial void LogConsumerFailed(ILogger logger, Exception ex, string consumer, long eventId, int rows, string type);
}
