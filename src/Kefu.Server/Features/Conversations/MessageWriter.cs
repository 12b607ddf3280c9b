using System.Threading.Channels;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Hosting.Telemetry;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// The single writer of messages: callers enqueue, one loop commits whatever has queued up in one
/// transaction (group commit), and each caller's task completes only after that commit. While one
/// batch is on its way to disk the next one gathers, so a durable fsync is shared by every message
/// that arrived meanwhile instead of costing one per message, and no artificial delay is added
/// when the load is light.
/// </summary>
internal sealed partial class MessageWriter(
    IDbContextFactory<KefuDbContext> dbFactory,
    MessageBatchProcessor processor,
    IMessageFanout fanout,
    OutboxSignal outboxSignal,
    IPersonalDataMasking masking,
    IOptions<DatabaseOptions> options,
    KefuMetrics metrics,
    SqliteWriteGate writeGate,
    ILogger<MessageWriter> logger) : BackgroundService, IMessageWriter
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    // Writes queued and not yet taken into a batch (a single-reader channel cannot count its items).
    private int _depth;

    /// <summary>
    /// Stores a message; the task ends when it is committed (or was stored before). People's messages are
    /// masked first, on the caller's thread rather than in the single commit loop: what is stored, pushed,
    /// answered by the bot and sent on is the masked text, and the originals go encrypted beside it.
    /// </summary>
    public Task<(MessageWritten? Written, KefuError? Error)> WriteAsync(MessageWrite write, CancellationToken cancellationToken = default)
    {
        if (write.Sender is SenderType.Visitor or SenderType.Agent && write.Originals is null)
        {
            var masked = masking.MaskAsync(write.TenantId, write.Text, cancellationToken);
            if (!masked.IsCompletedSuccessfully)
            {
                return MaskThenEnqueueAsync(write, masked, cancellationToken);
            }

            (write, var error) = WithMasked(write, masked.Result);
            if (error is not null)
            {
                return Task.FromResult<(MessageWritten?, KefuError?)>((null, error));
            }
        }

        return Enqueue(write, cancellationToken);
    }

    private async Task<(MessageWritten? Written, KefuError? Error)> MaskThenEnqueueAsync(MessageWrite write, ValueTask<MaskedText> masking, CancellationToken cancellationToken)
    {
        (write, var error) = WithMasked(write, await masking);
        return error is not null ? (null, error) : await Enqueue(write, cancellationToken);
    }

    private static (MessageWrite, KefuError?) WithMasked(MessageWrite write, MaskedText masked) =>
        masked.Originals is null ? (write, null)
        // A masked card number can be longer than the digits typed; the stored text keeps its limit.
        : masked.Text.Length > MessageRules.MaxTextLength ? (write, ConversationErrors.TextTooLong)
        : (write with { Text = masked.Text, Originals = masked.Originals }, null);

    private Task<(MessageWritten? Written, KefuError? Error)> Enqueue(MessageWrite write, CancellationToken cancellationToken)
    {
        // Shed people's messages over the bound before they join the queue: the client keeps the message and resends
        // it later, which costs nothing here, while a queue that only grows costs memory and every ack's latency.
        if (write.Sender is SenderType.Visitor or SenderType.Agent && Volatile.Read(ref _depth) >= options.Value.MaxPendingWrites)
        {
            LogShed(logger, options.Value.MaxPendingWrites);
            return Task.FromResult<(MessageWritten?, KefuError?)>((null, KefuError.ServerBusy));
        }

        var pending = new Pending(write, new TaskCompletionSource<(MessageWritten?, KefuError?)>(TaskCreationOptions.RunContinuationsAsynchronously), KefuMetrics.Stamp());
        Interlocked.Increment(ref _depth);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The message writer has stopped.");
        }

        // The caller may stop waiting; the write itself still completes or fails on its own.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var maxBatch = options.Value.MaxBatchSize;
        var batch = new List<Pending>(maxBatch);
        try
        {
            var window = options.Value.GroupCommitWindow;
            var target = options.Value.GroupCommitTarget;
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                Drain(batch, maxBatch);
                if (batch.Count < target && window > TimeSpan.Zero)
                {
                    // A small batch waits a moment for company: one commit then carries several messages.
                    await Task.Delay(window, stoppingToken);
                    Drain(batch, maxBatch);
                }

                // First in SQLite's one-writer line (see SqliteWriteGate); what arrived while waiting for the turn
                // joins this commit instead of waiting for the next one.
                using (await writeGate.EnterAsync(first: true, stoppingToken))
                {
                    Drain(batch, maxBatch);
                    await CommitAsync(batch, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued was never acknowledged, so clients resend it.
            while (_queue.Reader.TryRead(out var item))
            {
                item.Completion.TrySetCanceled(stoppingToken);
            }
        }
    }

    private void Drain(List<Pending> batch, int maxBatch)
    {
        while (batch.Count < maxBatch && _queue.Reader.TryRead(out var item))
        {
            Interlocked.Decrement(ref _depth);
            batch.Add(item);
        }
    }

    private async Task CommitAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var results = await processor.ProcessAsync(dbFactory.CreateDbContext, batch.ConvertAll(p => p.Write), cancellationToken);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                    metrics.MessageAcked(batch[i].Enqueued);
                }

                CountCommitted(results);

                outboxSignal.Notify();
                fanout.Publish(results.Where(r => r.Written is { Duplicate: false }).Select(r => r.Written!));
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // Another node took the same Seq first (PostgreSQL scale-out): reload and number again.
                LogSeqConflict(logger, batch.Count, attempt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && batch.Count > 1)
            {
                // One bad write must not fail its neighbours: commit them one by one to isolate it.
                LogBatchSplit(logger, ex, batch.Count);
                foreach (var single in batch)
                {
                    await CommitAsync([single], cancellationToken);
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWriteFailed(logger, ex, batch[0].Write.TenantId);
                batch[0].Completion.TrySetException(ex);
                return;
            }
        }
    }

    /// <summary>One counter add per kind of sender and batch, not per message: the batch is counted in a loop of ints.</summary>
    private void CountCommitted(IReadOnlyList<(MessageWritten? Written, KefuError? Error)> results)
    {
        int visitor = 0, agent = 0, bot = 0, other = 0;
        foreach (var (written, _) in results)
        {
            switch (written)
            {
                case null or { Duplicate: true }:
                    break;
                case { Message.Sender: SenderType.Visitor }:
                    visitor++;
                    break;
                case { Message.Sender: SenderType.Agent }:
                    agent++;
                    break;
                case { Message.Sender: SenderType.Bot }:
                    bot++;
                    break;
                default:
                    other++;
                    break;
            }
        }

        metrics.MessagesCommitted(visitor, "visitor");
        metrics.MessagesCommitted(agent, "agent");
        metrics.MessagesCommitted(bot, "bot");
        metrics.MessagesCommitted(other, "system");
    }

    private sealed record Pending(MessageWrite Write, TaskCompletionSource<(MessageWritten?, KefuError?)> Completion, long Enqueued);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A message was refused: {Limit} writes are already waiting")]
    private static partial void LogShed(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seq conflict on a batch of {Count} messages, attempt {Attempt}; retrying")]
    private static partial void LogSeqConflict(ILogger logger, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} messages failed; committing them one by one")]
    private static partial void LogBatchSplit(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message write for tenant {TenantId} failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, Guid tenantId);
}
