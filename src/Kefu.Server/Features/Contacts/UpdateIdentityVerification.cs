using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>Whether an inbox enforces identity verification.</summary>
/// <param name="Enforce">True: refuse identify calls without a valid signature. Needs a secret.</param>
public sealed record UpdateIdentityVerificationRequest(bool Enforce);

/// <summary><c>PUT /api/v1/inboxes/{id}/identity-verification</c>: turns enforcement on or off; audited.</summary>
internal sealed class UpdateIdentityVerification(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, IdentitySecrets secrets, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/identity-verification", async Task<Results<Ok<IdentityVerificationDto>, ProblemHttpResult>> (
                Guid id, UpdateIdentityVerificationRequest request, HttpContext http, UpdateIdentityVerification handler, CancellationToken ct) =>
            {
                var (value, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(value!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateIdentityVerification")
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

    public async Task<(IdentityVerificationDto? Value, KefuError? Error)> HandleAsync(
        AgentIdentity caller, Guid inboxId, UpdateIdentityVerificationRequest request, CancellationToken cancellationToken)
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
        if (key is null)
        {
            return request.Enforce ? (null, ContactErrors.IdentitySecretMissing) : (GetIdentityVerification.ToDto(inboxId, null, secrets), null);
        }

        if (key.Enforce != request.Enforce)
        {
            key.Enforce = request.Enforce;
            key.UpdatedAt = time.GetUtcNow().UtcDateTime;
            audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inboxId.ToString(), "identityVerification.enforce=" + (request.Enforce ? "on" : "off")).By(caller));
            await db.SaveChangesAsync(cancellationToken);
        }

        return (GetIdentityVerification.ToDto(inboxId, key, secrets), null);
    }
}
