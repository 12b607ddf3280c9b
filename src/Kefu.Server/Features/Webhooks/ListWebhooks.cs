using System.Globalization;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// <c>GET /api/v1/webhooks?cursor=&amp;pageSize=</c>, <c>GET /api/v1/webhooks/{id}</c> and <c>GET /api/v1/webhooks/events</c>
/// (settings permission): the workspace's webhooks, oldest first, in pages of 1–100 (50); one of them; the event names
/// a webhook may subscribe to.
/// </summary>
internal sealed class ListWebhooks(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, WebhookStore store)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var settings = AccessPolicies.For(Permission.Settings);
        api.MapGet("/webhooks", async Task<Results<Ok<WebhookPage>, ProblemHttpResult>> (string? cursor, int? pageSize, HttpContext http, ListWebhooks h, CancellationToken ct) =>
                await h.ListAsync(AgentIdentity.From(http.User)!, cursor, pageSize, ct) is var (page, e) && e is null ? TypedResults.Ok(page!) : KefuProblems.Problem(e!))
            .RequireAuthorization(settings).WithName("ListWebhooks").WithTags("Webhooks");
        api.MapGet("/webhooks/{id:guid}", async Task<Results<Ok<WebhookDto>, ProblemHttpResult>> (Guid id, HttpContext http, ListWebhooks h, CancellationToken ct) =>
                await h.GetAsync(AgentIdentity.From(http.User)!, id, ct) is var (dto, e) && e is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(e!))
            .RequireAuthorization(settings).WithName("GetWebhook").WithTags("Webhooks");
        api.MapGet("/webhooks/events", Ok<IReadOnlyList<string>> () => TypedResults.Ok(WebhookEventNames.All))
            .RequireAuthorization(settings).WithName("ListWebhookEvents").WithTags("Webhooks");
    }

    public async Task<(WebhookPage? Page, KefuError? Error)> ListAsync(AgentIdentity caller, string? cursor, int? pageSize, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, WebhookErrors.Forbidden);
        }

        if (WebhookRules.PageSize(pageSize) is { } sizeError)
        {
            return (null, sizeError);
        }

        DateTime? after = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            {
                return (null, WebhookErrors.Invalid("cursor", "cursor must be a nextCursor from an earlier page."));
            }

            after = new DateTime(ticks, DateTimeKind.Utc);
        }

        var size = pageSize ?? WebhookRules.DefaultPageSize;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.WebhookSubscriptions.AsNoTracking().Where(s => s.TenantId == caller.TenantId);
        if (after is { } at)
        {
            query = query.Where(s => s.CreatedAt > at);
        }

        // CreatedAt has sub-microsecond resolution and a workspace holds at most 20 webhooks: it alone is the cursor.
        var rows = await query.OrderBy(s => s.CreatedAt).Take(size + 1).ToListAsync(ct);
        var next = rows.Count > size ? rows[size - 1].CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture) : null;
        return (new WebhookPage([.. rows.Take(size).Select(s => s.ToDto())], next), null);
    }

    public async Task<(WebhookDto? Webhook, KefuError? Error)> GetAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        var (db, webhook, error) = await store.OpenAsync(caller, id, ct);
        if (db is null)
        {
            return (null, error);
        }

        await using var _ = db;
        return (webhook!.ToDto(), null);
    }
}
