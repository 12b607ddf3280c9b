using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts;

/// <summary>A refresh token from <c>POST /api/v1/auth/token</c> or an earlier refresh.</summary>
/// <param name="RefreshToken">The <c>refreshToken</c> of the token response.</param>
public sealed record RefreshTokenRequest([property: Required, MaxLength(4096)] string RefreshToken);

/// <summary>
/// <c>POST /api/v1/auth/refresh</c>: a new access token for a refresh token that has not expired, of a user who is
/// not locked out or deactivated and whose sessions were not ended since (the token carries the security stamp).
/// </summary>
internal sealed class RefreshAgentToken(SignInManager<AgentUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/refresh", (RefreshTokenRequest request, RefreshAgentToken handler) => handler.HandleAsync(request))
            .WithName("RefreshAgentToken")
            .WithTags("Auth")
            .AllowAnonymous()
            .Produces<AccessTokenResponse>();

    public async Task<Results<SignInHttpResult, ProblemHttpResult>> HandleAsync(RefreshTokenRequest request)
    {
        var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires ||
            await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user ||
            await signIn.UserManager.IsLockedOutAsync(user))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The refresh token is not valid any more; sign in again.",
                type: "https://kefu.dev/problems/refresh-failed");
        }

        // The sign-in result writes a new AccessTokenResponse (access and refresh token).
        return TypedResults.SignIn(await signIn.CreateUserPrincipalAsync(user), authenticationScheme: IdentityConstants.BearerScheme);
    }
}
