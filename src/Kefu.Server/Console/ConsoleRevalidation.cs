using Kefu.Server.Features.Accounts.SignIn;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Kefu.Server.Console;

/// <summary>
/// A console circuit is authenticated once, when it opens. This re-checks its session (ended from the session list,
/// by sign-out or by an admin) and the user's security stamp while it runs, so open consoles also fall back to the
/// sign-in page within <see cref="RevalidationInterval"/>.
/// </summary>
internal sealed class ConsoleRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(10);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SessionValidator>().CheckAsync(authenticationState.User, cancellationToken)).Valid;
    }
}
