using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>A policy needing one <see cref="Permission"/>.</summary>
internal sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

/// <summary>
/// Builds the policy for any <see cref="AccessPolicies.For"/> name on demand, so no permission can be forgotten
/// in a registration list; every other name goes to the default provider.
/// </summary>
internal sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName.StartsWith(AccessPolicies.Prefix, StringComparison.Ordinal) &&
            Enum.TryParse<Permission>(policyName[AccessPolicies.Prefix.Length..], out var permission))
        {
            return new AuthorizationPolicyBuilder(AccountsModule.AgentScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(AgentIdentity.TenantClaim)
                .AddRequirements(new PermissionRequirement(permission))
                .Build();
        }

        return await base.GetPolicyAsync(policyName);
    }
}

/// <summary>Grants a <see cref="PermissionRequirement"/> when the user's current role has the permission.</summary>
internal sealed class PermissionHandler(IAccessControl access) : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (await access.GetAsync(context.User) is { } granted && granted.Has(requirement.Permission))
        {
            context.Succeed(requirement);
        }
    }
}
