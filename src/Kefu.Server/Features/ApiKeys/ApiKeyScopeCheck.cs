using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>
/// Runs with every authorization policy: a read key may only GET, and no key may use a person's own account routes
/// or manage keys. The refusal is a 403 that names the reason (<see cref="ApiKeyAuthentication"/>). Requests by
/// people carry no access claim and pass untouched.
/// </summary>
internal sealed class ApiKeyScopeCheck : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.User.FindFirstValue(ApiKeyAuthentication.AccessClaim) is not { } claim ||
            context.Resource is not HttpContext http ||
            !int.TryParse(claim, out var access))
        {
            return Task.CompletedTask;
        }

        if (ApiKeyScopes.Check((ApiKeyAccess)access, http.Request.Method, http.Request.Path) is { } refusal)
        {
            http.Items[ApiKeyAuthentication.RefusalItem] = refusal;
            context.Fail(new AuthorizationFailureReason(this, refusal.Message));
        }

        return Task.CompletedTask;
    }
}
