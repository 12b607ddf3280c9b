using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// <c>POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay</c> and <c>POST /api/v1/webhooks/{id}/deliveries/replay-failed</c>
/// (settings permission): queue one delivery (whatever its outcome) or every failed one (dead, or waiting for a retry)
/// for an attempt now, with the same event id and body and a fresh day of retries. A paused webhook's replays wait for it
/// to be resumed. One statement either way; audited with the count.
/// </summary>
internal sealed class ReplayWebhookDeliveries(WebhookStore store, IAuditLog audit, WebhookSignal signal, TimeProvider time, IOptions<WebhookOptions> options)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var settings = AccessPolicies.For(Permission.Settings);
        api.MapPost("/webhooks/{id:guid}/deliveries/{deliveryId:long}/replay", async Task<Results<Ok<WebhookReplayResult>, ProblemHttpResult>> (
                Guid id, long deliveryId, HttpContext http, ReplayWebhookDeliveries h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, id, deliveryId, ct) is var (result, e) && e is null ? TypedResults.Ok(result!) : KefuProblems.Problem(e!))
            .RequireAuthorization(settings).WithName("ReplayWebhookDelivery").WithTags("Webhooks");
        api.MapPost("/webhooks/{id:guid}/deliveries/replay-failed", async Task<Results<Ok<WebhookReplayResult>, ProblemHttpResult>> (
                Guid id, HttpContext http, ReplayWebhookDeliveries h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, id, null, ct) is var (result, e) && e is null ? TypedResults.Ok(result!) : KefuProblems.Problem(e!))
            .RequireAuthorization(settings).WithName("ReplayFailedWebhookDeliveries").WithTags("Webhooks");
    }

    /// <summary>Replays <paramref name="deliveryId"/>, or every failed delivery of the webhook when it is null.</summary>
    public async Task<(WebhookReplayResult? Result, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, long? deliveryId, CancellationToken ct)
    {
        var (db, _, error) = await store.OpenAsync(caller, id, ct);
        if (db is null)
        {
            return (null, error);
        }

        await using var __ = db;
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.WebhookDeliveries.Where(d => d.SubscriptionId == id);
        query = deliveryId is { } one
            ? query.Where(d => d.Id == one)
            : query.Where(d => d.Status == WebhookDeliveryStatus.Dead || (d.Status == WebhookDeliveryStatus.Pending && d.Attempts > 0));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var count = await query.ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.Attempts, 0)
            .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.RetryUntil, now + options.Value.RetryFor), ct);
        if (deliveryId is not null && count == 0)
        {
            return (null, WebhookErrors.DeliveryNotFound);
        }

        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "webhook", id.ToString(), $"replayed {count}").By(caller));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.Notify();
        return (new WebhookReplayResult(count), null);
    }
}
