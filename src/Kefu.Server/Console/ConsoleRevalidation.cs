using System.Security.Claims;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Console;

/// <summary>
/// A console circuit is authenticated once, when it opens. This re-checks the user's security stamp while it
/// runs, so a sign-out elsewhere, a password change or a deactivation also ends open consoles (they fall back
/// to the sign-in page) within <see cref="RevalidationInterval"/>.
/// </summary>
internal sealed class ConsoleRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var user = await users.GetUserAsync(authenticationState.User);
        return user is not null && !await users.IsLockedOutAsync(user) &&
               authenticationState.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
