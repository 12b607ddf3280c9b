using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// Every sign-in, whichever code does it (the console form, the token endpoint, a second factor, single sign-on
/// through <see cref="SignInManager{TUser}.SignInAsync(TUser, bool, string?)"/>, a refreshed cookie), ends in
/// <see cref="IAuthenticationService.SignInAsync"/>: this is the one place that starts a session, so no path can
/// issue a cookie or a token the session list does not show. A principal that already carries a session (a
/// rotated refresh token) keeps it.
/// </summary>
internal sealed class SessionIssuingAuthenticationService(
    IAuthenticationSchemeProvider schemes, IAuthenticationHandlerProvider handlers, IClaimsTransformation transform, IOptions<AuthenticationOptions> options)
    : AuthenticationService(schemes, handlers, transform, options)
{
    public override async Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties)
    {
        if ((scheme == IdentityConstants.ApplicationScheme || scheme == IdentityConstants.BearerScheme) &&
            principal.Identity is ClaimsIdentity identity && SessionClaims.Session(principal) is null)
        {
            await context.RequestServices.GetRequiredService<SessionStarter>().StartAsync(context, scheme, identity);
        }

        await base.SignInAsync(context, scheme, principal, properties);
    }
}
