using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>Proof that the person at the keyboard owns the account and the authenticator.</summary>
/// <param name="Password">The account's password.</param>
/// <param name="Code">The authenticator's current code, or a recovery code.</param>
public sealed record DisableTwoFactorRequest([property: Required, MaxLength(256)] string Password, [property: Required, MaxLength(40)] string Code);

/// <summary>
/// <c>POST /api/v1/account/two-factor/disable</c>: turns two-factor sign-in off (the key and the recovery codes are
/// dropped) given the password and a code. Refused when the workspace requires two-factor sign-in.
/// </summary>
internal sealed class DisableTwoFactor(TwoFactorKeys keys, TwoFactorAttempts attempts, KefuDbContext db, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/account/two-factor/disable", async Task<Results<NoContent, ProblemHttpResult>> (DisableTwoFactorRequest request, HttpContext http, DisableTwoFactor handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.UserId, request) is { } error ? KefuProblems.Problem(error, http.Response) : TypedResults.NoContent())
            .WithName("DisableTwoFactor")
            .WithTags("Auth");

    public async Task<KefuError?> HandleAsync(Guid userId, DisableTwoFactorRequest request)
    {
        if (await keys.Users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return SignInErrors.AgentNotFound;
        }

        if (!user.TwoFactorEnabled)
        {
            return SignInErrors.NotEnabled;
        }

        if (await db.Tenants.AnyAsync(t => t.Id == user.TenantId && t.RequireTwoFactor))
        {
            return SignInErrors.RequiredByWorkspace;
        }

        if (attempts.TryAcquire(userId) is { } wait)
        {
            return SignInErrors.Throttled(wait);
        }

        if (!await keys.Users.CheckPasswordAsync(user, request.Password))
        {
            return SignInErrors.PasswordWrong;
        }

        if (!await keys.VerifyCodeAsync(user, request.Code) &&
            !(await keys.Users.RedeemTwoFactorRecoveryCodeAsync(user, TwoFactorKeys.NormalizeRecovery(request.Code))).Succeeded)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.TwoFactorFailed, "user", userId.ToString(), "disable") { TenantId = user.TenantId, ActorId = user.Id, Outcome = AuditOutcome.Failed }, CancellationToken.None);
            return SignInErrors.CodeInvalid;
        }

        await keys.SetEnabledAsync(user, false);
        await audit.WriteAsync(new AuditRecord(AuditActions.TwoFactorDisabled, "user", userId.ToString()) { TenantId = user.TenantId, ActorId = user.Id }, CancellationToken.None);
        return null;
    }
}
