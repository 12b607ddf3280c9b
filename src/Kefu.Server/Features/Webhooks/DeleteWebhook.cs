using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Webhooks;

/// <summary><c>DELETE /api/v1/webhooks/{id}</c> (settings permission): the webhook and its delivery log; nothing more is sent.</summary>
internal sealed class DeleteWebhook(WebhookStore store, IAuditLog audit, WebhookSubscriptionCache cache)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/webhooks/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeleteWebhook h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } e ? KefuProblems.Problem(e) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("DeleteWebhook").WithTags("Webhooks");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        var (db, webhook, error) = await store.OpenAsync(caller, id, ct);
        if (db is null)
        {
            return error;
        }

        await using var _ = db;
        db.WebhookSubscriptions.Remove(webhook!); // its deliveries go with it (cascade)
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "webhook", id.ToString(), "deleted").By(caller));
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return null;
    }
}
