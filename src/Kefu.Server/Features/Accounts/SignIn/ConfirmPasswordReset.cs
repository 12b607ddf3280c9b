using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>A new password, with the link's user and token.</summary>
/// <param name="UserId">The <c>user</c> of the reset link.</param>
/// <param name="Token">The <c>token</c> of the reset link.</param>
/// <param name="NewPassword">At least 10 characters with upper and lower case, a digit and a symbol.</param>
public sealed record ConfirmPasswordResetRequest(
    [property: Required] Guid UserId, [property: Required, MaxLength(2048)] string Token, [property: Required, MaxLength(256)] string NewPassword);

/// <summary>
/// <c>POST /api/v1/auth/password-reset/confirm</c> and the console's reset page: sets the new password if the token is
/// the user's, unused and under 30 minutes old; every session of the user ends (audited). An unknown user and a bad
/// token get the same answer, <c>reset_token_invalid</c>; a weak password gets a validation problem.
/// </summary>
internal sealed class ConfirmPasswordReset(UserManager<AgentUser> users, EndSessions sessions, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/password-reset/confirm", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (ConfirmPasswordResetRequest request, ConfirmPasswordReset handler) =>
                await handler.HandleAsync(request) switch
                {
                    { Error: { } error } => KefuProblems.Problem(error),
                    { PasswordErrors: { } errors } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = errors }),
                    _ => TypedResults.NoContent(),
                })
            .WithName("ConfirmPasswordReset")
            .WithTags("Auth")
            .AllowAnonymous();

    public async Task<(KefuError? Error, string[]? PasswordErrors)> HandleAsync(ConfirmPasswordResetRequest request)
    {
        if (await users.FindByIdAsync(request.UserId.ToString()) is not { } user)
        {
            return (SignInErrors.ResetTokenInvalid, null);
        }

        var result = await users.ResetPasswordAsync(user, request.Token, request.NewPassword);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                await audit.WriteAsync(new AuditRecord(AuditActions.PasswordResetCompleted, "user", user.Id.ToString(), "invalid_token")
                {
                    TenantId = user.TenantId,
                    Outcome = AuditOutcome.Failed,
                }, CancellationToken.None);
                return (SignInErrors.ResetTokenInvalid, null);
            }

            return (null, [.. result.Errors.Select(e => e.Description)]);
        }

        // ResetPasswordAsync has renewed the stamp (so this token is spent); end the rows and close hub connections too.
        await sessions.EndAllAsync(user, "password_reset");
        await audit.WriteAsync(new AuditRecord(AuditActions.PasswordResetCompleted, "user", user.Id.ToString())
        {
            TenantId = user.TenantId,
            ActorId = user.Id,
        }, CancellationToken.None);
        return (null, null);
    }
}
