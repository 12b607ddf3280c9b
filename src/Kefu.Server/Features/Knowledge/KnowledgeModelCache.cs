using System.Collections.Concurrent;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Knowledge;

/// <summary>
/// One trained <see cref="KnowledgeSnapshot"/> per workspace. The first question trains synchronously
/// once; after a knowledge-base change, <see cref="Invalidate"/> retrains in the background after a short
/// debounce and swaps the snapshot atomically, so answering never waits for training.
/// </summary>
internal sealed partial class KnowledgeModelCache(
    IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time, IOptions<BotOptions> options, ILogger<KnowledgeModelCache> logger) : IKnowledgeModels
{
    private readonly ConcurrentDictionary<Guid, Slot> _slots = new();

    /// <inheritdoc />
    public async Task<KnowledgeSnapshot> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(tenantId, _ => new Slot());
        if (Volatile.Read(ref slot.Current) is { } current)
        {
            return current;
        }

        await slot.Training.WaitAsync(cancellationToken);
        try
        {
            // Whoever waited behind the first training uses its result instead of training again.
            if (Volatile.Read(ref slot.Current) is { } built)
            {
                return built;
            }

            var snapshot = await BuildAsync(tenantId, cancellationToken);
            Volatile.Write(ref slot.Current, snapshot);
            return snapshot;
        }
        finally
        {
            slot.Training.Release();
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
                var started = time.GetTimestamp();
                var snapshot = await BuildAsync(tenantId, CancellationToken.None);
                Volatile.Write(ref slot.Current, snapshot);
                LogRetrained(logger, tenantId, snapshot.Articles.Count, time.GetElapsedTime(started).TotalMilliseconds);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrained the knowledge model of tenant {TenantId}: {Articles} articles in {Milliseconds} ms")]
    private static partial void LogRetrained(ILogger logger, Guid tenantId, int articles, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retraining the knowledge model of tenant {TenantId} failed; the previous model stays")]
    private static partial void LogRetrainFailed(ILogger logger, Exception ex, Guid tenantId);
}
