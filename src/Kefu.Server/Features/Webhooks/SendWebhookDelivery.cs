using System.Globalization;
using Kefu.Server.Hosting.Telemetry;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// One attempt of one delivery: signs and POSTs its body, then records the outcome on the delivery (the log) and on
/// the subscription. A failure is retried with exponential backoff and jitter until <see cref="WebhookDelivery.RetryUntil"/>,
/// then the delivery is dead; a receiver failing for <see cref="WebhookOptions.PauseAfter"/> gets its subscription paused
/// and the workspace's admins told (<see cref="WebhookPausedAlert"/>).
/// </summary>
internal sealed partial class SendWebhookDelivery(
    IDbContextFactory<KefuDbContext> dbFactory, WebhookSecrets secrets, WebhookHttp http, WebhookPausedAlert alert, WebhookSubscriptionCache cache,
    KefuMetrics metrics, TimeProvider time, IOptions<WebhookOptions> options, ILogger<SendWebhookDelivery> logger)
{
    /// <summary>The headers a delivery carries besides the signature.</summary>
    public const string EventIdHeader = "Kefu-Event-Id", EventTypeHeader = "Kefu-Event-Type", TimestampHeader = "Kefu-Timestamp",
        SignatureHeader = "Kefu-Signature", DeliveryIdHeader = "Kefu-Delivery-Id";

    public async Task RunAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var work = await (from d in db.WebhookDeliveries
                          join s in db.WebhookSubscriptions on d.SubscriptionId equals s.Id
                          where d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Pending
                          select new { d.Id, d.EventId, d.EventType, d.Payload, d.RetryUntil, d.Attempts, s.Url, s.ProtectedSecret, SubscriptionId = s.Id, s.Status })
            .AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (work is null || work.Status != WebhookStatus.Active)
        {
            return; // deleted, replayed elsewhere or paused meanwhile: a paused subscription's deliveries wait for its resumption
        }

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var (uri, refused) = WebhookAddressGuard.Parse(work.Url);
        var response = uri is null
            ? new WebhookResponse(null, null, refused!.Message, 0, Refused: true)
            : await http.PostAsync(uri, work.Payload,
            [
                new(EventIdHeader, work.EventId.ToString()),
                new(EventTypeHeader, work.EventType),
                new(DeliveryIdHeader, work.Id.ToString(CultureInfo.InvariantCulture)),
                new(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
                new(SignatureHeader, WebhookSecrets.Sign(secrets.Unprotect(work.ProtectedSecret), timestamp, work.Payload)),
            ], options.Value.Timeout, options.Value.MaxResponseBytes, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var attempts = work.Attempts + 1;
        var error = response.Error is { Length: > 500 } text ? text[..500] : response.Error;
        var (status, next) = response.Succeeded ? (WebhookDeliveryStatus.Succeeded, (DateTime?)null)
            : now >= work.RetryUntil ? (WebhookDeliveryStatus.Dead, null)
            : (WebhookDeliveryStatus.Pending, now + Backoff(attempts));
        await db.WebhookDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.Status, status).SetProperty(d => d.Attempts, attempts).SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastAttemptAt, now).SetProperty(d => d.ResponseStatus, response.Status).SetProperty(d => d.ResponseBody, response.Body)
            .SetProperty(d => d.Error, error)
            .SetProperty(d => d.DurationMs, response.DurationMs), cancellationToken);
        LogAttempt(logger, deliveryId, work.SubscriptionId, attempts, response.Status, status);
        metrics.WebhookDelivery(response.Succeeded ? "delivered" : response.Refused ? "refused" : status == WebhookDeliveryStatus.Dead ? "dead" : "failed");

        if (response.Succeeded)
        {
            await db.WebhookSubscriptions.Where(s => s.Id == work.SubscriptionId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.FailingSince, (DateTime?)null).SetProperty(s => s.LastSuccessAt, now), cancellationToken);
            return;
        }

        await db.WebhookSubscriptions.Where(s => s.Id == work.SubscriptionId && s.FailingSince == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.FailingSince, now), cancellationToken);
        var failingSince = now - options.Value.PauseAfter;
        var paused = await db.WebhookSubscriptions
            .Where(s => s.Id == work.SubscriptionId && s.Status == WebhookStatus.Active && s.FailingSince != null && s.FailingSince <= failingSince)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, WebhookStatus.PausedFailing).SetProperty(s => s.UpdatedAt, now), cancellationToken);
        if (paused > 0)
        {
            // The conditional update is the one place that decides it: the admins are told once, however many attempts fail.
            cache.Invalidate();
            LogPaused(logger, work.SubscriptionId);
            await alert.RaiseAsync(work.SubscriptionId, cancellationToken);
        }
    }

    /// <summary>
    /// The wait after the <paramref name="attempts"/>-th failure: <see cref="WebhookOptions.FirstRetryDelay"/> doubled
    /// per failure up to <see cref="WebhookOptions.MaxRetryDelay"/>, then a random half to all of it ("equal jitter"), so
    /// receivers coming back from an outage are not hit by every delivery at the same instant.
    /// </summary>
    public TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var full = TimeSpan.FromTicks((long)Math.Min(o.FirstRetryDelay.Ticks * Math.Pow(2, Math.Min(attempts - 1, 30)), o.MaxRetryDelay.Ticks));
        return full / 2 + full / 2 * Random.Shared.NextDouble();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook delivery {DeliveryId} of {SubscriptionId}: attempt {Attempt}, status {Status}, now {Outcome}")]
    private static partial void LogAttempt(ILogger logger, long deliveryId, Guid subscriptionId, int attempt, int? status, WebhookDeliveryStatus outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {SubscriptionId} paused: its receiver has failed for too long")]
    private static partial void LogPaused(ILogger logger, Guid subscriptionId);
}
