using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// <c>POST /api/v1/inboxes/{id}/identity-verification/secret</c>: creates the inbox's identity secret, or replaces it
/// (signatures made with the old one stop verifying at once; the host server must be given the new one). Audited
/// without the secret.
/// </summary>
internal sealed class RegenerateIdentitySecret(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, IdentitySecrets secrets, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/inboxes/{id:guid}/identity-verification/secret", async Task<Results<Ok<IdentityVerificationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, RegenerateIdentitySecret handler, CancellationToken ct) =>
            {
                var (value, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(value!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("RegenerateIdentitySecret")
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status404NotFound);

    public async Task<(IdentityVerificationDto? Value, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == caller.TenantId, cancellationToken))
        {
            return (null, ContactErrors.InboxNotFound);
        }

        var key = await db.Set<InboxIdentityKey>().FirstOrDefaultAsync(k => k.InboxId == inboxId, cancellationToken);
        var secret = IdentitySecrets.Generate();
        if (key is null)
        {
            key = new InboxIdentityKey { InboxId = inboxId, TenantId = caller.TenantId, SecretCipher = "" };
            db.Add(key);
        }

        key.SecretCipher = secrets.Protect(secret);
        key.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inboxId.ToString(), "identityVerification.secret=regenerated").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (new IdentityVerificationDto(inboxId, secret, key.Enforce, key.UpdatedAt), null);
    }
}
