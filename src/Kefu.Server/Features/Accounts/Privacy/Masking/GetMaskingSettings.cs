using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>Which kinds of personal data a workspace masks at ingest.</summary>
/// <param name="IdentityNumbers">Mainland resident identity numbers (default on).</param>
/// <param name="MobileNumbers">Mainland mobile numbers (default on).</param>
/// <param name="BankCards">Payment card numbers (default on).</param>
/// <param name="EmailAddresses">E-mail addresses (default off).</param>
public sealed record MaskingSettingsDto(bool IdentityNumbers, bool MobileNumbers, bool BankCards, bool EmailAddresses);

/// <summary><c>GET /api/v1/workspace/privacy/masking</c> (settings permission).</summary>
internal sealed class GetMaskingSettings(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/workspace/privacy/masking", async Task<Ok<MaskingSettingsDto>> (HttpContext http, GetMaskingSettings handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .WithName("GetMaskingSettings")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<MaskingSettingsDto> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.MaskingSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        return ToDto(row?.Kinds ?? MaskingSettings.Defaults);
    }

    public static MaskingSettingsDto ToDto(MaskingKinds kinds) => new(
        kinds.HasFlag(MaskingKinds.IdentityNumber), kinds.HasFlag(MaskingKinds.Mobile), kinds.HasFlag(MaskingKinds.BankCard), kinds.HasFlag(MaskingKinds.Email));
}
