using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>New masking choices; every one must be given, so a typo cannot silently turn masking off.</summary>
public sealed record UpdateMaskingSettingsRequest(bool? IdentityNumbers, bool? MobileNumbers, bool? BankCards, bool? EmailAddresses);

/// <summary>
/// <c>PUT /api/v1/workspace/privacy/masking</c> (settings permission). Applies to messages stored from now
/// on: masking happens at ingest, so turning a kind off does not reveal what was masked before, and
/// turning one on does not rewrite history.
/// </summary>
internal sealed class UpdateMaskingSettings(IDbContextFactory<KefuDbContext> dbFactory, MaskingSettingsStore store, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/workspace/privacy/masking", async Task<Results<Ok<MaskingSettingsDto>, ProblemHttpResult>> (
                UpdateMaskingSettingsRequest request, HttpContext http, UpdateMaskingSettings handler, CancellationToken ct) =>
            {
                var (settings, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, request, ct);
                return error is null ? TypedResults.Ok(settings) : KefuProblems.Problem(error);
            })
            .WithName("UpdateMaskingSettings")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<(MaskingSettingsDto?, KefuError?)> HandleAsync(Guid tenantId, UpdateMaskingSettingsRequest request, CancellationToken cancellationToken)
    {
        if (request is not { IdentityNumbers: { } identity, MobileNumbers: { } mobile, BankCards: { } cards, EmailAddresses: { } email })
        {
            return (null, MaskingErrors.InvalidSettings);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.MaskingSettings.FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        if (row is null)
        {
            row = new MaskingSettings { TenantId = tenantId };
            db.MaskingSettings.Add(row);
        }

        row.IdentityNumbers = identity;
        row.MobileNumbers = mobile;
        row.BankCards = cards;
        row.EmailAddresses = email;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "setting", "privacy.masking", Describe(row.Kinds)));
        await db.SaveChangesAsync(cancellationToken);
        store.Forget(tenantId);
        return (GetMaskingSettings.ToDto(row.Kinds), null);
    }

    /// <summary>The new choices, for the audit trail: <c>identity=on mobile=on card=on email=off</c>.</summary>
    private static string Describe(MaskingKinds kinds) =>
        $"identity={On(kinds, MaskingKinds.IdentityNumber)} mobile={On(kinds, MaskingKinds.Mobile)} card={On(kinds, MaskingKinds.BankCard)} email={On(kinds, MaskingKinds.Email)}";

    private static string On(MaskingKinds kinds, MaskingKinds kind) => kinds.HasFlag(kind) ? "on" : "off";
}
