using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>A new password, proven with the current one.</summary>
/// <param name="CurrentPassword">The password in use.</param>
/// <param name="NewPassword">At least 10 characters with upper and lower case, a digit and a symbol.</param>
public sealed record ChangePasswordRequest(
    [property: Required, MaxLength(256)] string CurrentPassword, [property: Required, MaxLength(256)] string NewPassword);

/// <summary>
/// <c>POST /api/v1/account/password</c>: the signed-in user changes their password. Every other session ends
/// (cookies, bearer and refresh tokens, hub connections); a console cookie that made the change is renewed.
/// </summary>
internal sealed class ChangePassword(SignInManager<AgentUser> signIn, EndSessions sessions, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/account/password", (ChangePasswordRequest request, HttpContext http, ChangePassword handler) => handler.HandleAsync(http, request))
            .WithName("ChangePassword")
            .WithTags("Auth");

    public async Task<Results<NoContent, ValidationProblem, UnauthorizedHttpResult>> HandleAsync(HttpContext http, ChangePasswordRequest request)
    {
        var users = signIn.UserManager;
        if (await users.GetUserAsync(http.User) is not { } user)
        {
            return TypedResults.Unauthorized();
        }

        var viaCookie = (await http.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Succeeded;
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (!result.Succeeded)
        {
            // A wrong current password is someone trying a password on a session they hold: worth a line.
            var wrongCurrent = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch));
            await audit.WriteAsync(new AuditRecord(AuditActions.PasswordChanged, "agent", user.Id.ToString(),
                wrongCurrent ? "reason=wrong_current_password" : "reason=new_password_refused") { Outcome = AuditOutcome.Failed });
            return TypedResults.ValidationProblem(result.Errors
                .GroupBy(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "currentPassword" : "newPassword")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        // ChangePasswordAsync has already renewed the stamp; this also closes hub connections.
        await sessions.EndAllAsync(user, "password-change");
        await audit.WriteAsync(new AuditRecord(AuditActions.PasswordChanged, "agent", user.Id.ToString(), "other_sessions=ended"));
        if (viaCookie)
        {
            await signIn.RefreshSignInAsync(user);
        }

        return TypedResults.NoContent();
    }
}
