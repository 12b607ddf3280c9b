using System.Collections.Concurrent;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// Sends due deliveries, on one node at a time (lease <c>webhooks</c>). Each workspace has at most
/// <see cref="WebhookOptions.ConcurrencyPerWorkspace"/> attempts in flight and each attempt runs on its own, so a receiver
/// that hangs for its whole timeout holds its own workspace's slots and never another workspace's deliveries. A taken
/// delivery's due time moves past the attempt's deadline first: if this node dies mid-attempt, the delivery comes due
/// again (at least once; receivers de-duplicate by event id).
/// </summary>
internal sealed partial class WebhookSender(
    IDbContextFactory<KefuDbContext> dbFactory, SendWebhookDelivery send, WebhookSignal signal, LeaseStore leases, TimeProvider time,
    IOptions<WebhookOptions> options, ILogger<WebhookSender> logger) : BackgroundService
{
    public const string LeaseName = "webhooks";
    private readonly ConcurrentDictionary<Guid, int> _inFlight = new();
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private DateTime _nextPrune;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await leases.HoldAsync(LeaseName, stoppingToken))
                    {
                        await StartDueAsync(stoppingToken);
                        await PruneAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                // Polled in real time as well as woken: due times come from the (possibly fake) clock, and a retry
                // falls due without anyone signalling it.
                await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await Task.WhenAll(_running.Values);
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    /// <summary>Starts every due delivery that has a free slot: one query for the workspaces with due work, then one read and one claim per workspace.</summary>
    private async Task StartDueAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now &&
            db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Status == WebhookStatus.Active));
        var tenants = await due.Select(d => d.TenantId).Distinct().Take(500).ToListAsync(cancellationToken);
        foreach (var tenant in tenants)
        {
            var free = Math.Min(o.ConcurrencyPerWorkspace - _inFlight.GetValueOrDefault(tenant), o.MaxConcurrency - _running.Count);
            if (free <= 0)
            {
                continue;
            }

            var ids = await due.Where(d => d.TenantId == tenant).OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Select(d => d.Id).Take(free).ToListAsync(cancellationToken);
            var claimedUntil = now + o.Timeout + TimeSpan.FromMinutes(1);
            await db.WebhookDeliveries.Where(d => EF.Parameter(ids).Contains(d.Id)).ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, claimedUntil), cancellationToken);
            foreach (var id in ids)
            {
                // The attempt waits for its gate, so it is in _running before it can finish and remove itself.
                var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _inFlight.AddOrUpdate(tenant, 1, (_, n) => n + 1);
                _running[id] = RunAsync(tenant, id, gate.Task, cancellationToken);
                gate.SetResult();
            }
        }
    }

    /// <summary>Once an hour, drops log entries older than <see cref="WebhookOptions.KeepDeliveriesFor"/> that will not be sent again.</summary>
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now.AddHours(1);
        var before = now - options.Value.KeepDeliveriesFor;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.WebhookDeliveries.Where(d => d.Status != WebhookDeliveryStatus.Pending && d.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task RunAsync(Guid tenant, long id, Task gate, CancellationToken cancellationToken)
    {
        try
        {
            await gate; // asynchronous continuation: the pass goes on to the next workspace at once
            await send.RunAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The claim lapses and the delivery comes due again after the attempt's deadline.
            LogAttemptFailed(logger, ex, id);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the claim lapses, another start sends it.
        }
        finally
        {
            _inFlight.AddOrUpdate(tenant, 0, (_, n) => n - 1);
            _running.TryRemove(id, out _);
            signal.NotifyLocal(); // a slot came free
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook sender pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} could not be recorded")]
    private static partial void LogAttemptFailed(ILogger logger, Exception ex, long deliveryId);
}
