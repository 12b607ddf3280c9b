using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>Sign-in for non-browser agent clients.</summary>
/// <param name="Email">The agent's e-mail.</param>
/// <param name="Password">The agent's password.</param>
public sealed record AgentTokenRequest([property: Required, MaxLength(256)] string Email, [property: Required, MaxLength(256)] string Password);

/// <summary><c>POST /api/v1/auth/token</c>: a bearer token for the agent hub and the API (lockout applies).</summary>
internal sealed class CreateAgentToken(SignInManager<AgentUser> signIn)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/token", (AgentTokenRequest request, CreateAgentToken handler) => handler.HandleAsync(request))
            .WithName("CreateAgentToken")
            .WithTags("Auth")
            .AllowAnonymous()
            .Produces<AccessTokenResponse>();

    public async Task<Results<EmptyHttpResult, ProblemHttpResult>> HandleAsync(AgentTokenRequest request)
    {
        // With the bearer scheme, a successful sign-in writes the AccessTokenResponse itself.
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.Email, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.Empty;
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: result.IsLockedOut ? "Account locked after repeated failures; try again later." : "Wrong e-mail or password.",
            type: result.IsLockedOut ? "https://kefu.dev/problems/locked-out" : "https://kefu.dev/problems/sign-in-failed");
    }
}
