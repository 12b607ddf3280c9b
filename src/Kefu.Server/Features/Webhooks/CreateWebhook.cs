using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// <c>POST /api/v1/webhooks</c> (settings permission): a new webhook, active at once, with a generated signing secret
/// returned this once. The URL must be public (<see cref="WebhookAddressGuard"/>); audited without the URL (a query
/// string may carry the receiver's own token).
/// </summary>
internal sealed class CreateWebhook(
    IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, WebhookAddressGuard guard, WebhookSecrets secrets,
    WebhookSubscriptionCache cache, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/webhooks", async Task<Results<Created<WebhookCreated>, ProblemHttpResult>> (WebhookRequest request, HttpContext http, CreateWebhook h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, request, ct) is var (created, e) && e is null
                    ? TypedResults.Created($"/api/v1/webhooks/{created!.Webhook.Id}", created)
                    : KefuProblems.Problem(e!))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("CreateWebhook").WithTags("Webhooks");

    public async Task<(WebhookCreated? Created, KefuError? Error)> HandleAsync(AgentIdentity caller, WebhookRequest request, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, WebhookErrors.Forbidden);
        }

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

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.WebhookSubscriptions.CountAsync(s => s.TenantId == caller.TenantId, ct) >= WebhookRules.MaxPerWorkspace)
        {
            return (null, WebhookErrors.TooMany);
        }

        var secret = WebhookSecrets.New();
        var now = time.GetUtcNow().UtcDateTime;
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(), TenantId = caller.TenantId, Url = uri.AbsoluteUri, Description = description!, Events = events!,
            ProtectedSecret = secrets.Protect(secret), CreatedAt = now, UpdatedAt = now,
        };
        db.WebhookSubscriptions.Add(subscription);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "webhook", subscription.Id.ToString(), "created").By(caller));
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return (new WebhookCreated(subscription.ToDto(), secret), null);
    }
}
