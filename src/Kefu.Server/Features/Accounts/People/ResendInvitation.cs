using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>
/// <c>POST /api/v1/agents/{id}/invitation</c>: sends the invitation again (the mail got lost, or the link expired) to a
/// person who has not set a password yet; 409 <c>agent_already_joined</c> otherwise. Earlier links keep working until
/// they expire or one of them is used. Audited.
/// </summary>
internal sealed class ResendInvitation(UserManager<AgentUser> users, IDbContextFactory<KefuDbContext> dbs, PeopleGuard guard, AgentInvitations invitations, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agents/{id:guid}/invitation", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, ResendInvitation handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("ResendInvitation")
            .WithTags("Agents");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (await guard.CheckAsync(caller, id, ct) is { } denied)
        {
            return denied;
        }

        var user = (await users.FindByIdAsync(id.ToString()))!;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var signedIn = await db.AgentSessions.AnyAsync(s => s.UserId == id, ct);
        if (PeopleStatus.Of(user.LockoutEnd, user.PasswordHash, signedIn ? DateTime.MinValue : null) != PeopleStatus.Invited)
        {
            return PeopleErrors.AlreadyJoined;
        }

        if (await invitations.SendAsync(user, caller.DisplayName, ct) is { } error)
        {
            return error;
        }

        await audit.WriteAsync(new AuditRecord(AuditActions.AgentInvited, "agent", id.ToString(), "resent").By(caller), ct);
        return null;
    }
}
