using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>The code the authenticator app shows for the new key.</summary>
/// <param name="Code">Six digits (spaces ignored).</param>
public sealed record TwoFactorCodeRequest([property: Required, MaxLength(20)] string Code);

/// <summary>Recovery codes, each good for one sign-in without the app. Shown once; Kefu keeps only their hashes' equivalent.</summary>
/// <param name="RecoveryCodes">The codes.</param>
public sealed record RecoveryCodesDto(string[] RecoveryCodes);

/// <summary>
/// <c>POST /api/v1/account/two-factor/enable</c>: confirms the key with a code, turns two-factor sign-in on and returns
/// 10 recovery codes (once). The user's other sessions end: they were signed in with a password alone.
/// </summary>
internal sealed class EnableTwoFactor(TwoFactorKeys keys, TwoFactorAttempts attempts, SessionEnder sessions, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/account/two-factor/enable", async Task<Results<Ok<RecoveryCodesDto>, ProblemHttpResult>> (TwoFactorCodeRequest request, HttpContext http, EnableTwoFactor handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.UserId, SessionClaims.Session(http.User), request.Code) is var (codes, error) && error is null
                    ? TypedResults.Ok(codes!) : KefuProblems.Problem(error!, http.Response))
            .WithName("EnableTwoFactor")
            .WithTags("Auth");

    public async Task<(RecoveryCodesDto? Codes, KefuError? Error)> HandleAsync(Guid userId, Guid? currentSession, string code)
    {
        if (await keys.Users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return (null, SignInErrors.AgentNotFound);
        }

        if (user.TwoFactorEnabled)
        {
            return (null, SignInErrors.AlreadyEnabled);
        }

        if (string.IsNullOrEmpty(await keys.Users.GetAuthenticatorKeyAsync(user)))
        {
            return (null, SignInErrors.NoKey);
        }

        if (attempts.TryAcquire(userId) is { } wait)
        {
            return (null, SignInErrors.Throttled(wait));
        }

        if (!await keys.VerifyCodeAsync(user, code))
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.TwoFactorFailed, "user", userId.ToString(), "enable") { TenantId = user.TenantId, ActorId = user.Id, Outcome = AuditOutcome.Failed }, CancellationToken.None);
            return (null, SignInErrors.CodeInvalid);
        }

        await keys.SetEnabledAsync(user, true);
        var recovery = await keys.Users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorKeys.RecoveryCodeCount);
        await audit.WriteAsync(new AuditRecord(AuditActions.TwoFactorEnabled, "user", userId.ToString()) { TenantId = user.TenantId, ActorId = user.Id }, CancellationToken.None);
        await sessions.EndAllAsync(userId, userId, "two_factor_enabled", except: currentSession);
        return (new RecoveryCodesDto([.. recovery ?? []]), null);
    }
}
