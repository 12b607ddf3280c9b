using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>The invited person's password, with the link's user and token.</summary>
/// <param name="UserId">The <c>user</c> of the invitation link.</param>
/// <param name="Token">The <c>token</c> of the invitation link.</param>
/// <param name="NewPassword">At least 10 characters with upper and lower case, a digit and a symbol.</param>
public sealed record AcceptInvitationRequest(Guid UserId, string? Token, string? NewPassword);

/// <summary>
/// <c>POST /api/v1/auth/invitation/accept</c> and the console's "welcome" page: the invited person chooses their
/// password, then signs in as usual. A wrong, used or expired link, an unknown user, a deactivated person and one who
/// has a password already all get <c>invitation_invalid</c>; a weak password gets <c>weak_password</c> and leaves the link
/// usable. Audited.
/// </summary>
internal sealed class AcceptInvitation(UserManager<AgentUser> users, AgentInvitations invitations, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/invitation/accept", async Task<Results<NoContent, ProblemHttpResult>> (AcceptInvitationRequest request, AcceptInvitation handler) =>
                await handler.HandleAsync(request) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .WithName("AcceptInvitation")
            .WithTags("Auth")
            .AllowAnonymous();

    public async Task<KefuError?> HandleAsync(AcceptInvitationRequest request)
    {
        if (request.Token is not { Length: > 0 and <= 2048 } token || await users.FindByIdAsync(request.UserId.ToString()) is not { } user ||
            user.LockoutEnd == DateTimeOffset.MaxValue || user.PasswordHash is not null || !await invitations.IsValidAsync(user, token))
        {
            return PeopleErrors.InvitationInvalid;
        }

        if (request.NewPassword is not { Length: > 0 and <= 256 } password)
        {
            return PeopleErrors.WeakPassword(["Choose a password of 10 to 256 characters."]) with { Field = "newPassword" };
        }

        // AddPasswordAsync validates the password and renews the security stamp, which spends every invitation link.
        var result = await users.AddPasswordAsync(user, password);
        if (!result.Succeeded)
        {
            return PeopleErrors.WeakPassword(result.Errors.Select(e => e.Description)) with { Field = "newPassword" };
        }

        await audit.WriteAsync(new AuditRecord(AuditActions.InvitationAccepted, "agent", user.Id.ToString()) { TenantId = user.TenantId, ActorId = user.Id, ActorName = user.DisplayName });
        return null;
    }
}
