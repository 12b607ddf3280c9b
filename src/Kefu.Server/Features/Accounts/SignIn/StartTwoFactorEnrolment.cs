using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>A new authenticator key, to add to an app before confirming with a code.</summary>
/// <param name="SharedKey">The key in groups of four, for typing into the app.</param>
/// <param name="AuthenticatorUri">The <c>otpauth://</c> address the QR code holds.</param>
/// <param name="QrCode">The QR code as a PNG <c>data:</c> URI.</param>
public sealed record AuthenticatorSetupDto(string SharedKey, string AuthenticatorUri, string QrCode);

/// <summary>
/// <c>POST /api/v1/account/two-factor/authenticator</c>: starts (or restarts) enrolment with a new key. Two-factor
/// stays off until <c>POST /api/v1/account/two-factor/enable</c> confirms a code; while it is on, the key cannot be
/// replaced (turn it off first, which needs the password and a code).
/// </summary>
internal sealed class StartTwoFactorEnrolment(TwoFactorKeys keys)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/account/two-factor/authenticator", async Task<Results<Ok<AuthenticatorSetupDto>, ProblemHttpResult>> (HttpContext http, StartTwoFactorEnrolment handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.UserId) is var (setup, error) && error is null
                    ? TypedResults.Ok(setup!) : KefuProblems.Problem(error!))
            .WithName("StartTwoFactorEnrolment")
            .WithTags("Auth");

    public async Task<(AuthenticatorSetupDto? Setup, KefuError? Error)> HandleAsync(Guid userId)
    {
        if (await keys.Users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return (null, SignInErrors.AgentNotFound);
        }

        if (user.TwoFactorEnabled)
        {
            return (null, SignInErrors.AlreadyEnabled);
        }

        var key = await keys.NewKeyAsync(user);
        var uri = TwoFactorKeys.AuthenticatorUri(user.Email ?? user.UserName ?? user.Id.ToString(), key);
        return (new AuthenticatorSetupDto(TwoFactorKeys.FormatKey(key), uri, TwoFactorKeys.QrCodeDataUri(uri)), null);
    }
}
