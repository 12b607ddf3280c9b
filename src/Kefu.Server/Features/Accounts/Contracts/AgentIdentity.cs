using System.Security.Claims;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>A signed-in console user, read from their claims. Visitor principals carry no role and never read as agents.</summary>
/// <param name="UserId">The agent's user id.</param>
/// <param name="TenantId">The agent's workspace.</param>
/// <param name="DisplayName">Name shown to visitors.</param>
/// <param name="Role">What the agent may do.</param>
public sealed record AgentIdentity(Guid UserId, Guid TenantId, string DisplayName, AgentRole Role)
{
    /// <summary>Claim carrying the tenant id.</summary>
    public const string TenantClaim = "kefu:tenant";
    /// <summary>Claim carrying the display name.</summary>
    public const string NameClaim = "kefu:name";
    /// <summary>
    /// Claim carrying the most a credential may do, as a <see cref="Permission"/> number: set for API keys, whose
    /// scopes narrow what the person who created them may do. Absent for people signed in themselves.
    /// </summary>
    public const string PermissionCapClaim = "kefu:permission_cap";

    /// <summary>
    /// The most this credential may do whatever the user's role says (an API key's scopes); null for a person signed in
    /// themselves. <see cref="WorkspaceAccess.For(AgentIdentity)"/> and <see cref="IAccessControl.GetAsync"/> apply it.
    /// </summary>
    public Permission? PermissionCap { get; init; }

    /// <summary>Reads the agent from a principal; null when it is not a signed-in agent.</summary>
    public static AgentIdentity? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true ||
            !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ||
            !Guid.TryParse(user.FindFirstValue(TenantClaim), out var tenant) ||
            !Enum.TryParse<AgentRole>(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }

        return new AgentIdentity(id, tenant, user.FindFirstValue(NameClaim) ?? "", role)
        {
            PermissionCap = long.TryParse(user.FindFirstValue(PermissionCapClaim), out var cap) ? (Permission)cap : null,
        };
    }
}
