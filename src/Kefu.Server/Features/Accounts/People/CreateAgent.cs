using Kefu.Server.Features.Accounts.Access;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>A new console user of the caller's workspace.</summary>
/// <param name="Email">Sign-in e-mail, unique.</param>
/// <param name="DisplayName">Name shown to visitors, 1–100 characters.</param>
/// <param name="Password">
/// Initial password (at least 10 characters with upper and lower case, a digit and a symbol). Leave it out to send an
/// invitation e-mail instead, with a link where the person chooses their own (needs <c>Kefu:Mail</c>).
/// </param>
/// <param name="Role"><c>agent</c> (default), <c>supervisor</c>, <c>admin</c> or a custom role's id; at most the caller's permissions.</param>
public sealed record CreateAgentRequest(string? Email, string? DisplayName, string? Password = null, string? Role = null);

/// <summary>A console user as people managers see them right after creating one.</summary>
/// <param name="Id">User id.</param>
/// <param name="Email">Sign-in e-mail.</param>
/// <param name="DisplayName">Name shown to visitors.</param>
/// <param name="Role"><c>agent</c>, <c>supervisor</c>, <c>admin</c> or a custom role's id.</param>
/// <param name="Invited">True when an invitation was sent and no password is set yet.</param>
public sealed record AgentDto(Guid Id, string Email, string DisplayName, string Role, bool Invited);

/// <summary>
/// <c>POST /api/v1/agents</c>: someone with the People permission adds a person, with a role within their own
/// permissions, and either an initial password or an invitation e-mail. The user, the invitation and the audit entry
/// stand together: when the mail server refuses the invitation the person is removed again.
/// </summary>
internal sealed class CreateAgent(
    UserManager<AgentUser> users, IDbContextFactory<KefuDbContext> dbs, TimeProvider time, PeopleGuard guard, AgentInvitations invitations, IAuditLog audit,
    IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agents", async Task<Results<Created<AgentDto>, ProblemHttpResult>> (CreateAgentRequest request, HttpContext http, CreateAgent handler, CancellationToken ct) =>
            {
                var (agent, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Created($"/api/v1/agents/{agent!.Id}", agent) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("CreateAgent")
            .WithTags("Agents");

    public async Task<(AgentDto? Agent, KefuError? Error)> HandleAsync(AgentIdentity caller, CreateAgentRequest request, CancellationToken ct)
    {
        if (await guard.ManagerAsync(caller, ct) is not { } mine)
        {
            return (null, PeopleErrors.Forbidden);
        }

        var displayName = SafeText.SingleLine(request.DisplayName);
        if (displayName.Length is 0 or > 100)
        {
            return (null, PeopleErrors.NameInvalid);
        }

        if (AgentEmails.Normalize(request.Email) is not { } email)
        {
            return (null, PeopleErrors.EmailInvalid);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        // Nobody hands out permissions they do not hold (a supervisor cannot create an admin).
        if (await Roles.ResolveAsync(db, caller.TenantId, string.IsNullOrWhiteSpace(request.Role) ? "agent" : request.Role, ct) is not { } role)
        {
            return (null, PeopleErrors.RoleInvalid);
        }

        if (!Roles.Within(role.Permissions, mine.Permissions))
        {
            return (null, PeopleErrors.Forbidden with { Field = "role" });
        }

        var invite = request.Password is null;
        if (invite && !invitations.CanSend)
        {
            return (null, PeopleErrors.MailNotConfigured);
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return (null, PeopleErrors.EmailTaken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = new AgentUser
        {
            Id = Guid.CreateVersion7(now),
            TenantId = caller.TenantId,
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            Role = role.BuiltIn,
            CustomRoleId = role.Custom,
            CreatedAt = now,
        };
        var result = invite ? await users.CreateAsync(user) : await users.CreateAsync(user, request.Password!);
        if (!result.Succeeded)
        {
            return (null, result.Errors.Any(e => e.Code.Contains("Password", StringComparison.Ordinal))
                ? PeopleErrors.WeakPassword(result.Errors.Select(e => e.Description))
                : result.Errors.Any(e => e.Code.Contains("Duplicate", StringComparison.Ordinal)) ? PeopleErrors.EmailTaken : PeopleErrors.EmailInvalid);
        }

        if (invite && await invitations.SendAsync(user, caller.DisplayName, ct) is { } mailError)
        {
            await users.DeleteAsync(user);
            return (null, mailError);
        }

        // Identity's store has committed the user already: the entry follows (the e-mail and name stay out of it).
        var roleId = role.Custom?.ToString() ?? role.BuiltIn.ToString().ToLowerInvariant();
        await audit.WriteAsync(new AuditRecord(AuditActions.AgentCreated, "agent", user.Id.ToString(), invite ? $"role={roleId}; invited" : $"role={roleId}").By(caller), ct);
        access.Invalidate(caller.TenantId);
        return (new AgentDto(user.Id, email, displayName, roleId, invite), null);
    }
}

/// <summary>The one rule for sign-in e-mails, shared by creating and editing people.</summary>
internal static class AgentEmails
{
    /// <summary>The trimmed address when it is one (at most 256 characters, a single mailbox); null otherwise.</summary>
    public static string? Normalize(string? email)
    {
        var trimmed = email?.Trim() ?? "";
        return trimmed.Length is > 0 and <= 256 && SafeText.IsSingleLine(trimmed) &&
               System.Net.Mail.MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed && parsed.DisplayName.Length == 0
            ? trimmed
            : null;
    }
}
