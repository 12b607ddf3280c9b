using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// <c>PUT /api/v1/webhooks/{id}</c> (settings permission): a webhook's URL, events, description, and whether it runs.
/// Resuming one (enabled after a pause, by an admin or by Kefu) forgets its failing streak and makes its waiting
/// deliveries due now. Nothing changes unless all of it is valid.
/// </summary>
internal sealed class UpdateWebhook(WebhookStore store, IAuditLog audit, WebhookAddressGuard guard, WebhookSubscriptionCache cache, WebhookSignal signal, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<WebhookOptions> options)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/webhooks/{id:guid}", async Task<Results<Ok<WebhookDto>, ProblemHttpResult>> (Guid id, WebhookRequest request, HttpContext http, UpdateWebhook h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct) is var (dto, e) && e is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(e!))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("UpdateWebhook").WithTags("Webhooks");

    public async Task<(WebhookDto? Webhook, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, WebhookRequest request, CancellationToken ct)
    {
        var (db, webhook, error) = await store.OpenAsync(caller, id, ct);
        if (db is null)
        {
            return (null, error);
        }

        await using var _ = db;
        var (description, descriptionError) = WebhookRules.Description(request.Description);
        var (events, eventsError) = WebhookRules.Events(request.Events);
        if ((descriptionError ?? eventsError) is { } invalid)
        {
            return (null, invalid);
        }

        var (uri, urlError) = await guard.CheckAsync(request.Url, ct);
        if (uri is null)
        {
            return (null, urlError);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var changed = new List<string>();
        changed.AddRange(new[] { ("url", webhook!.Url != uri.AbsoluteUri), ("events", webhook.Events != events), ("description", webhook.Description != description) }
            .Where(c => c.Item2).Select(c => c.Item1));
        (webhook.Url, webhook.Events, webhook.Description) = (uri.AbsoluteUri, events!, description!);

        var resumed = request.Enabled == true && webhook.Status != WebhookStatus.Active;
        if (request.Enabled is { } enabled && enabled != (webhook.Status == WebhookStatus.Active))
        {
            changed.Add(enabled ? "resumed" : "paused");
            webhook.Status = enabled ? WebhookStatus.Active : WebhookStatus.Paused;
            webhook.FailingSince = null;
        }

        webhook.UpdatedAt = now;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "webhook", id.ToString(), "updated: " + (changed.Count == 0 ? "nothing" : string.Join(',', changed))).By(caller));
        await db.SaveChangesAsync(ct);
        if (resumed)
        {
            // What waited while it was paused goes now, with a fresh day of retries.
            await db.WebhookDeliveries.Where(d => d.SubscriptionId == id && d.Status == WebhookDeliveryStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.RetryUntil, now + options.Value.RetryFor), ct);
        }

        await transaction.CommitAsync(ct);
        cache.Invalidate();
        signal.Notify();
        return (webhook.ToDto(), null);
    }
}
