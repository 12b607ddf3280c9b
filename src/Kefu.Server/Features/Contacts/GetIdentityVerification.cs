using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>An inbox's identity verification, as its settings show it.</summary>
/// <param name="InboxId">The inbox.</param>
/// <param name="Secret">The secret the host server signs ids with (64 hex characters); null until one is created.</param>
/// <param name="Enforce">True: identify calls without a valid signature are refused.</param>
/// <param name="UpdatedAt">When the secret or the setting last changed, UTC; null until then.</param>
public sealed record IdentityVerificationDto(Guid InboxId, string? Secret, bool Enforce, DateTime? UpdatedAt);

/// <summary><c>GET /api/v1/inboxes/{id}/identity-verification</c>: the secret and whether it is enforced (settings permission).</summary>
internal sealed class GetIdentityVerification(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IdentitySecrets secrets)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/identity-verification", async Task<Results<Ok<IdentityVerificationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetIdentityVerification handler, CancellationToken ct) =>
            {
                var (value, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(value!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetIdentityVerification")
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

        var key = await db.Set<InboxIdentityKey>().AsNoTracking().FirstOrDefaultAsync(k => k.InboxId == inboxId, cancellationToken);
        return (ToDto(inboxId, key, secrets), null);
    }

    public static IdentityVerificationDto ToDto(Guid inboxId, InboxIdentityKey? key, IdentitySecrets secrets) =>
        new(inboxId, key is null ? null : secrets.Reveal(key.SecretCipher), key?.Enforce ?? false, key?.UpdatedAt);
}
