using System.Collections.Concurrent;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Knowledge;

/// <summary>Why a knowledge model was trained.</summary>
internal enum TrainingReason
{
    /// <summary>At start, in the background, from the published articles in the database (<see cref="KnowledgeWarmup"/>).</summary>
    Startup,

    /// <summary>After a knowledge-base change, in the background.</summary>
    Change,

    /// <summary>On the first question of a workspace the start-up training did not cover (created since, or its training failed).</summary>
    OnDemand,
}

/// <summary>
/// One trained <see cref="KnowledgeSnapshot"/> per workspace. Every workspace with published articles is trained in the
/// background at start (<see cref="KnowledgeWarmup"/>), so the first visitor question after a restart does not pay for
/// training; a question that arrives while that training runs waits for it, bounded by
/// <see cref="BotOptions.ModelWait"/>, and never trains a second copy. After a knowledge-base change,
/// <see cref="Invalidate"/> retrains in the background after a short debounce and swaps the snapshot atomically, so
/// answering never waits for a retrain.
/// </summary>
internal sealed partial class KnowledgeModelCache(
    IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time, IOptions<BotOptions> options, ILogger<KnowledgeModelCache> logger) : IKnowledgeModels
{
    private readonly ConcurrentDictionary<Guid, Slot> _slots = new();
    private readonly TaskCompletionSource _warmedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long[] _trainings = new long[Enum.GetValues<TrainingReason>().Length];

    /// <summary>Completes when the start-up training has finished (or failed) for every workspace.</summary>
    public Task WarmedUp => _warmedUp.Task;

    /// <summary>How many models were trained for <paramref name="reason"/> since start (diagnostics and tests).</summary>
    public long Trainings(TrainingReason reason) => Interlocked.Read(ref _trainings[(int)reason]);

    /// <summary>True when the workspace has a trained model in memory.</summary>
    public bool IsReady(Guid tenantId) => _slots.TryGetValue(tenantId, out var slot) && Volatile.Read(ref slot.Current) is not null;

    /// <inheritdoc />
    public async Task<KnowledgeSnapshot> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(tenantId, _ => new Slot());
        if (Volatile.Read(ref slot.Current) is { } current)
        {
            return current;
        }

        // Right after a start the workspace's model is being trained in the background: wait for that one (bounded)
        // rather than train a second copy on the request path. Past the bound the caller fails; the bot's turn is then
        // retried by the outbox on a later pass, so the visitor gets the real answer late rather than a wrong one.
        // The bound is real time on purpose, like the dispatcher's pacing: a test's fake clock must not stall answers.
        var wait = options.Value.ModelWait;
        if (!_warmedUp.Task.IsCompleted)
        {
            try
            {
                await _warmedUp.Task.WaitAsync(wait, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Not done by then (many workspaces, this one late in the list): take the slot below and train it here.
            }
        }

        if (!await slot.Training.WaitAsync(wait, cancellationToken))
        {
            throw new TimeoutException($"The knowledge model of tenant {tenantId} is still training.");
        }

        try
        {
            // Whoever waited behind a training uses its result instead of training again.
            if (Volatile.Read(ref slot.Current) is { } built)
            {
                return built;
            }

            return await TrainAsync(tenantId, slot, TrainingReason.OnDemand, cancellationToken);
        }
        finally
        {
            slot.Training.Release();
        }
    }

    /// <summary>
    /// The start-up training, in the background: every workspace with published articles, one at a time (training uses a
    /// core; the server keeps the other for requests). A workspace that fails keeps no model and trains on its first
    /// question instead; the others go on.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            List<Guid> tenants;
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                tenants = await db.Articles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published)
                    .Select(a => a.TenantId).Distinct().ToListAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Every workspace then trains on its first question, as before; the server itself is fine.
                LogWarmUpFailed(logger, ex);
                return;
            }

            foreach (var tenantId in tenants)
            {
                var slot = _slots.GetOrAdd(tenantId, _ => new Slot());
                await slot.Training.WaitAsync(cancellationToken);
                try
                {
                    if (Volatile.Read(ref slot.Current) is null)
                    {
                        await TrainAsync(tenantId, slot, TrainingReason.Startup, cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRetrainFailed(logger, ex, tenantId);
                }
                finally
                {
                    slot.Training.Release();
                }
            }
        }
        finally
        {
            _warmedUp.TrySetResult();
        }
    }

    /// <summary>The workspace's articles changed: retrain soon, in the background.</summary>
    public void Invalidate(Guid tenantId)
    {
        var slot = _slots.GetOrAdd(tenantId, _ => new Slot());
        var generation = Interlocked.Increment(ref slot.Generation);
        _ = RetrainLaterAsync(tenantId, slot, generation);
    }

    private async Task RetrainLaterAsync(Guid tenantId, Slot slot, long generation)
    {
        try
        {
            await Task.Delay(options.Value.RetrainDebounce, time);
            if (Interlocked.Read(ref slot.Generation) != generation)
            {
                return; // a later change is waiting its own turn: train once for the whole burst
            }

            await slot.Training.WaitAsync();
            try
            {
                await TrainAsync(tenantId, slot, TrainingReason.Change, CancellationToken.None);
            }
            finally
            {
                slot.Training.Release();
            }
        }
        catch (Exception ex)
        {
            // The previous model keeps answering; the next change tries again.
            LogRetrainFailed(logger, ex, tenantId);
        }
    }

    /// <summary>Trains and publishes the workspace's model; the caller holds the slot's lock.</summary>
    private async Task<KnowledgeSnapshot> TrainAsync(Guid tenantId, Slot slot, TrainingReason reason, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var snapshot = await BuildAsync(tenantId, cancellationToken);
        Volatile.Write(ref slot.Current, snapshot);
        Interlocked.Increment(ref _trainings[(int)reason]);
        LogTrained(logger, tenantId, reason, snapshot.Articles.Count, (long)time.GetElapsedTime(started).TotalMilliseconds);
        return snapshot;
    }

    private async Task<KnowledgeSnapshot> BuildAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        List<Article> published;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            published = await db.Articles.AsNoTracking()
                .Where(a => a.TenantId == tenantId && a.Status == ArticleStatus.Published)
                .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
                .ToListAsync(cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        return await Task.Run(() => KnowledgeTrainer.Train(published, now), cancellationToken);
    }

    private sealed class Slot
    {
        public readonly SemaphoreSlim Training = new(1, 1);
        public KnowledgeSnapshot? Current;
        public long Generation;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trained the knowledge model of tenant {TenantId} ({Reason}): {Articles} articles in {Milliseconds} ms")]
    private static partial void LogTrained(ILogger logger, Guid tenantId, TrainingReason reason, int articles, long milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training the knowledge model of tenant {TenantId} failed; the previous model, if any, stays")]
    private static partial void LogRetrainFailed(ILogger logger, Exception ex, Guid tenantId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not list the workspaces to train at start; each trains on its first question")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception ex);
}
