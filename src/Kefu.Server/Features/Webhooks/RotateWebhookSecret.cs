using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// <c>POST /api/v1/webhooks/{id}/secret</c> (settings permission): a new signing secret, returned this once. Deliveries
/// from now on are signed with it (retries of earlier ones too: the signature is made at each attempt).
/// </summary>
internal sealed class RotateWebhookSecret(WebhookStore store, IAuditLog audit, WebhookSecrets secrets, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/webhooks/{id:guid}/secret", async Task<Results<Ok<WebhookSecret>, ProblemHttpResult>> (Guid id, HttpContext http, RotateWebhookSecret h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is var (secret, e) && e is null ? TypedResults.Ok(secret!) : KefuProblems.Problem(e!))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("RotateWebhookSecret").WithTags("Webhooks");

    public async Task<(WebhookSecret? Secret, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        var (db, webhook, error) = await store.OpenAsync(caller, id, ct);
        if (db is null)
        {
            return (null, error);
        }

        await using var _ = db;
        var secret = WebhookSecrets.New();
        webhook!.ProtectedSecret = secrets.Protect(secret);
        webhook.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "webhook", id.ToString(), "secret_rotated").By(caller));
        await db.SaveChangesAsync(ct);
        return (new WebhookSecret(secret), null);
    }
}
