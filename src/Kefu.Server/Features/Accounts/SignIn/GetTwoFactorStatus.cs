using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>The caller's two-factor state.</summary>
/// <param name="Enabled">Sign-in asks for a code after the password.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
/// <param name="RequiredByWorkspace">The workspace requires two-factor sign-in.</param>
public sealed record TwoFactorStatusDto(bool Enabled, int RecoveryCodesLeft, bool RequiredByWorkspace);

/// <summary><c>GET /api/v1/account/two-factor</c>: whether two-factor sign-in is on, and how many recovery codes are left.</summary>
internal sealed class GetTwoFactorStatus(UserManager<AgentUser> users, KefuDbContext db)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/account/two-factor", async Task<Results<Ok<TwoFactorStatusDto>, UnauthorizedHttpResult>> (HttpContext http, GetTwoFactorStatus handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.UserId) is { } status ? TypedResults.Ok(status) : TypedResults.Unauthorized())
            .WithName("GetTwoFactorStatus")
            .WithTags("Auth");

    public async Task<TwoFactorStatusDto?> HandleAsync(Guid userId)
    {
        if (await users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return null;
        }

        var required = await db.Tenants.Where(t => t.Id == user.TenantId).Select(t => t.RequireTwoFactor).FirstOrDefaultAsync();
        return new TwoFactorStatusDto(user.TwoFactorEnabled, user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0, required);
    }
}
