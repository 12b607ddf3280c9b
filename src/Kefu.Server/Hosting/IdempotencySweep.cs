using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Hosting;

/// <summary>
/// Deletes idempotency keys past <see cref="Idempotency.Lifetime"/>, hourly: one statement on the <c>CreatedAt</c>
/// index. Every node runs it; deleting what another node already deleted costs nothing, so no lease is needed.
/// Expired rows not yet swept are already ignored by the filter.
/// </summary>
internal sealed partial class IdempotencySweep(IDbContextFactory<KefuDbContext> dbs, TimeProvider time, ILogger<IdempotencySweep> log) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(log, e);
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow().UtcDateTime - Idempotency.Lifetime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Set<IdempotencyRecord>().Where(r => r.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    [LoggerMessage(EventId = 9502, Level = LogLevel.Warning, Message = "The idempotency key sweep failed; it runs again within the hour")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
