using System.Security.Claims;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts;

/// <summary>Puts the tenant, display name and role into the cookie and bearer principal.</summary>
internal sealed class AgentClaimsFactory(UserManager<AgentUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AgentUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AgentUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AgentIdentity.TenantClaim, user.TenantId.ToString()));
        identity.AddClaim(new Claim(AgentIdentity.NameClaim, user.DisplayName));
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role.ToString()));
        return identity;
    }
}
