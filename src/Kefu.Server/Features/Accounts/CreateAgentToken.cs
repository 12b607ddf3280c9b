using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>Sign-in for non-browser agent clients.</summary>
/// <param name="Email">The agent's e-mail.</param>
/// <param name="Password">The agent's password.</param>
/// <param name="TwoFactorCode">For accounts with two-factor sign-in: the authenticator app's current code.</param>
/// <param name="RecoveryCode">Instead of <paramref name="TwoFactorCode"/>: one of the recovery codes (each works once).</param>
public sealed record AgentTokenRequest(
    [property: Required, MaxLength(256)] string Email,
    [property: Required, MaxLength(256)] string Password,
    [property: MaxLength(20)] string? TwoFactorCode = null,
    [property: MaxLength(40)] string? RecoveryCode = null);

/// <summary>
/// <c>POST /api/v1/auth/token</c>: a bearer token for the agent hub and the API (lockout applies;
/// too many attempts per client IP or per account get 429 with <c>Retry-After</c>). An account with two-factor
/// sign-in answers the right password alone with the typed problem <c>two_factor_required</c> (401); a wrong code
/// counts as a failed attempt and gets the one sign-in failure answer.
/// </summary>
internal sealed class CreateAgentToken(AgentSignIn signIn)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/token", (AgentTokenRequest request, HttpContext http, CreateAgentToken handler) => handler.HandleAsync(request, http))
            .WithName("CreateAgentToken")
            .WithTags("Auth")
            .AllowAnonymous()
            .Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public async Task<Results<EmptyHttpResult, ProblemHttpResult>> HandleAsync(AgentTokenRequest request, HttpContext http)
    {
        // With the bearer scheme, a successful sign-in writes the AccessTokenResponse itself.
        var result = await signIn.PasswordAsync(request.Email, request.Password, http.Connection.RemoteIpAddress, persistent: false,
            IdentityConstants.BearerScheme, new SecondFactor(request.TwoFactorCode, request.RecoveryCode));
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                return TypedResults.Empty;
            case SignInOutcome.TwoFactorRequired:
                return Hosting.KefuProblems.Problem(SignIn.SignInErrors.TwoFactorRequired);
            case SignInOutcome.Throttled:
                Hosting.RetryAfter.Set(http.Response, result.RetryAfter);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many sign-in attempts; try again later.", type: "https://kefu.dev/problems/rate-limited");
            case SignInOutcome.SsoRequired:
                // Only after the right password: the caller already knows the account exists.
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                    title: "This workspace signs its agents in through single sign-on.", type: "https://kefu.dev/problems/sso-required",
                    extensions: new Dictionary<string, object?> { ["code"] = "sso_required" });
            default:
                // Unknown e-mail, wrong password, locked or deactivated: one answer (AgentSignIn logs which).
                return SignInFailed();
        }
    }

    /// <summary>The one answer to every failed sign-in: unknown e-mail, wrong password, locked or deactivated account.</summary>
    public static ProblemHttpResult SignInFailed() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Wrong e-mail or password, or too many attempts; try again later.",
        type: "https://kefu.dev/problems/sign-in-failed");
}
