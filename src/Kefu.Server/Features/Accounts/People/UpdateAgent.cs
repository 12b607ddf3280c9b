using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>A person's name and sign-in e-mail.</summary>
/// <param name="DisplayName">Name shown to visitors, 1–100 characters.</param>
/// <param name="Email">Sign-in e-mail, unique.</param>
public sealed record UpdateAgentRequest(string? DisplayName, string? Email);

/// <summary>
/// <c>PUT /api/v1/agents/{id}</c>: renames a person or changes their sign-in e-mail (409 <c>email_taken</c> when another
/// account has it). Both change together or not at all. Audited by the names of the fields changed, never their values.
/// </summary>
internal sealed class UpdateAgent(UserManager<AgentUser> users, PeopleGuard guard, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/agents/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, UpdateAgentRequest request, HttpContext http, UpdateAgent handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("UpdateAgent")
            .WithTags("Agents");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, UpdateAgentRequest request, CancellationToken ct)
    {
        if (await guard.CheckAsync(caller, id, ct) is { } denied)
        {
            return denied;
        }

        var displayName = SafeText.SingleLine(request.DisplayName);
        if (displayName.Length is 0 or > 100)
        {
            return PeopleErrors.NameInvalid;
        }

        if (AgentEmails.Normalize(request.Email) is not { } email)
        {
            return PeopleErrors.EmailInvalid;
        }

        var user = (await users.FindByIdAsync(id.ToString()))!;
        if (await users.FindByEmailAsync(email) is { } holder && holder.Id != id)
        {
            return PeopleErrors.EmailTaken;
        }

        var changed = new List<string>();
        if (user.DisplayName != displayName)
        {
            user.DisplayName = displayName;
            changed.Add("displayName");
        }

        if (!string.Equals(user.Email, email, StringComparison.Ordinal))
        {
            // The e-mail is also the user name people sign in with; one update writes both, with the normalized forms.
            user.Email = email;
            user.UserName = email;
            changed.Add("email");
        }

        if (changed.Count == 0)
        {
            return null;
        }

        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code.Contains("Duplicate", StringComparison.Ordinal)) ? PeopleErrors.EmailTaken : PeopleErrors.EmailInvalid;
        }

        await audit.WriteAsync(new AuditRecord(AuditActions.AgentUpdated, "agent", id.ToString(), "profile changed=" + string.Join(',', changed)).By(caller), ct);
        return null;
    }
}
