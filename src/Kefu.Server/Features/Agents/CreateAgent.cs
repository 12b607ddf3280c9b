using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Agents;

/// <summary>A new console user of the admin's workspace.</summary>
/// <param name="Email">Sign-in e-mail, unique.</param>
/// <param name="DisplayName">Name shown to visitors.</param>
/// <param name="Password">Initial password (at least 10 characters with upper and lower case, a digit and a symbol).</param>
/// <param name="Role">agent (default), supervisor or admin.</param>
public sealed record CreateAgentRequest(
    [property: Required, EmailAddress, MaxLength(256)] string Email,
    [property: Required, MinLength(1), MaxLength(100)] string DisplayName,
    [property: Required, MaxLength(256)] string Password,
    AgentRole Role = AgentRole.Agent);

/// <summary>A console user as admins see them.</summary>
/// <param name="Id">User id.</param>
/// <param name="Email">Sign-in e-mail.</param>
/// <param name="DisplayName">Name shown to visitors.</param>
/// <param name="Role">Role.</param>
public sealed record AgentDto(Guid Id, string Email, string DisplayName, AgentRole Role);

/// <summary><c>POST /api/v1/agents</c>: someone with the people permission adds a person, with a role within their own permissions.</summary>
internal sealed class CreateAgent(UserManager<AgentUser> users, TimeProvider time, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agents", (CreateAgentRequest request, HttpContext http, CreateAgent handler) => handler.HandleAsync(AgentIdentity.From(http.User)!, request))
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("CreateAgent")
            .WithTags("Agents");

    public async Task<Results<Created<AgentDto>, ValidationProblem, ProblemHttpResult, ForbidHttpResult>> HandleAsync(AgentIdentity admin, CreateAgentRequest request)
    {
        if (!Enum.IsDefined(request.Role))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["role must be agent, supervisor or admin."] });
        }

        // Nobody hands out permissions they do not hold (a supervisor cannot create an admin).
        if (await access.ForAsync(admin) is not { } mine || !mine.Has(Permission.People) ||
            (BuiltInRoles.Of(request.Role) & ~mine.Permissions) != Permission.None)
        {
            return TypedResults.Forbid();
        }

        var displayName = SafeText.SingleLine(request.DisplayName);
        if (displayName.Length is 0 or > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["displayName"] = ["displayName must be 1-100 characters, without control characters."] });
        }

        if (await users.FindByEmailAsync(request.Email) is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "An agent with this e-mail exists.",
                type: "https://kefu.dev/problems/email-taken", extensions: new Dictionary<string, object?> { ["code"] = "email_taken" });
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = new AgentUser
        {
            Id = Guid.CreateVersion7(now),
            TenantId = admin.TenantId,
            UserName = request.Email,
            Email = request.Email,
            EmailConfirmed = true,
            DisplayName = displayName,
            Role = request.Role,
            CreatedAt = now,
        };
        var result = await users.CreateAsync(user, request.Password);
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(result.Errors.GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        // Identity's store has committed the user already: the entry follows (the e-mail and name stay out of it).
        await audit.WriteAsync(new AuditRecord(AuditActions.AgentCreated, "agent", user.Id.ToString(), "role=" + user.Role.ToString().ToLowerInvariant()).By(admin));
        return TypedResults.Created($"/api/v1/agents/{user.Id}", new AgentDto(user.Id, request.Email, user.DisplayName, user.Role));
    }
}
