using System.Globalization;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// <c>GET /api/v1/webhooks/{id}/deliveries?status=&amp;cursor=&amp;pageSize=</c> (settings permission): a webhook's delivery
/// log, newest first, in pages of 1–100 (50); <c>status</c> is <c>pending</c>, <c>succeeded</c>, <c>dead</c> or
/// <c>failed</c> (dead, or pending after a failed attempt).
/// </summary>
internal sealed class ListWebhookDeliveries(WebhookStore store)
{
    public static readonly string[] Filters = ["pending", "succeeded", "dead", "failed"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/webhooks/{id:guid}/deliveries", async Task<Results<Ok<WebhookDeliveryPage>, ProblemHttpResult>> (
                Guid id, string? status, string? cursor, int? pageSize, HttpContext http, ListWebhookDeliveries h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, id, status, cursor, pageSize, ct) is var (page, e) && e is null ? TypedResults.Ok(page!) : KefuProblems.Problem(e!))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("ListWebhookDeliveries").WithTags("Webhooks");

    public async Task<(WebhookDeliveryPage? Page, KefuError? Error)> HandleAsync(
        AgentIdentity caller, Guid id, string? status, string? cursor, int? pageSize, CancellationToken ct)
    {
        if (WebhookRules.PageSize(pageSize) is { } sizeError)
        {
            return (null, sizeError);
        }

        if (status is not null && !Filters.Contains(status))
        {
            return (null, WebhookErrors.Invalid("status", "status must be pending, succeeded, dead or failed."));
        }

        long? before = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return (null, WebhookErrors.Invalid("cursor", "cursor must be a nextCursor from an earlier page."));
            }

            before = value;
        }

        var (db, webhook, error) = await store.OpenAsync(caller, id, ct);
        if (db is null)
        {
            return (null, error);
        }

        await using var _ = db;
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == webhook!.Id);
        query = status switch
        {
            "pending" => query.Where(d => d.Status == WebhookDeliveryStatus.Pending),
            "succeeded" => query.Where(d => d.Status == WebhookDeliveryStatus.Succeeded),
            "dead" => query.Where(d => d.Status == WebhookDeliveryStatus.Dead),
            "failed" => query.Where(d => d.Status == WebhookDeliveryStatus.Dead || (d.Status == WebhookDeliveryStatus.Pending && d.Attempts > 0)),
            _ => query,
        };
        if (before is { } b)
        {
            query = query.Where(d => d.Id < b);
        }

        var size = pageSize ?? WebhookRules.DefaultPageSize;
        var rows = await query.OrderByDescending(d => d.Id).Take(size + 1)
            .Select(d => new WebhookDeliveryDto(d.Id, d.SubscriptionId, d.EventId, d.EventType, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt,
                d.LastAttemptAt, d.ResponseStatus, d.ResponseBody, d.Error, d.DurationMs, d.Payload))
            .ToListAsync(ct);
        var next = rows.Count > size ? rows[size - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return (new WebhookDeliveryPage([.. rows.Take(size)], next), null);
    }
}
