using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// <c>POST /api/v1/account/two-factor/recovery-codes</c>: 10 new recovery codes (shown once) replace the old ones,
/// given the authenticator's current code.
/// </summary>
internal sealed class RegenerateRecoveryCodes(TwoFactorKeys keys, TwoFactorAttempts attempts, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/account/two-factor/recovery-codes", async Task<Results<Ok<RecoveryCodesDto>, ProblemHttpResult>> (TwoFactorCodeRequest request, HttpContext http, RegenerateRecoveryCodes handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.UserId, request.Code) is var (codes, error) && error is null
                    ? TypedResults.Ok(codes!) : KefuProblems.Problem(error!, http.Response))
            .WithName("RegenerateRecoveryCodes")
            .WithTags("Auth");

    public async Task<(RecoveryCodesDto? Codes, KefuError? Error)> HandleAsync(Guid userId, string code)
    {
        if (await keys.Users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return (null, SignInErrors.AgentNotFound);
        }

        if (!user.TwoFactorEnabled)
        {
            return (null, SignInErrors.NotEnabled);
        }

        if (attempts.TryAcquire(userId) is { } wait)
        {
            return (null, SignInErrors.Throttled(wait));
        }

        if (!await keys.VerifyCodeAsync(user, code))
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.TwoFactorFailed, "user", userId.ToString(), "recovery_codes") { TenantId = user.TenantId, ActorId = user.Id, Outcome = AuditOutcome.Failed }, CancellationToken.None);
            return (null, SignInErrors.CodeInvalid);
        }

        var recovery = await keys.Users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactorKeys.RecoveryCodeCount);
        await audit.WriteAsync(new AuditRecord(AuditActions.RecoveryCodesRegenerated, "user", userId.ToString()) { TenantId = user.TenantId, ActorId = user.Id }, CancellationToken.None);
        return (new RecoveryCodesDto([.. recovery ?? []]), null);
    }
}
