using System.Security.Claims;
using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>Reads a user's access from their built-in role.</summary>
internal sealed class AccessControl : IAccessControl
{
    private static readonly IReadOnlySet<Guid> NoTeams = new HashSet<Guid>();

    public ValueTask<AgentAccess?> GetAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        ValueTask.FromResult(AgentIdentity.From(user) is { } agent
            ? new AgentAccess(agent.UserId, agent.TenantId, BuiltInRoles.Of(agent.Role), null, NoTeams)
            : null);
}
