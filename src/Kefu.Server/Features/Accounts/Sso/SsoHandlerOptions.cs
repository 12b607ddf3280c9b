using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>
/// The OpenID Connect handler options of one workspace: authorization code flow with PKCE, state and nonce
/// checked by the handler, the id token's issuer, audience (our client id) and signature checked against the
/// provider's discovery document and keys. The framework's post-configuration adds the state protector and
/// the metadata manager.
/// </summary>
internal sealed class SsoHandlerOptions(SsoSchemes schemes, IHostEnvironment environment) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options)
    {
        // Only kefu-sso-* names are ever asked for: no other OpenID Connect scheme is registered.
    }

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (!SsoSchemes.TryGetTenant(name, out var tenantId))
        {
            return;
        }

        var client = schemes.Client(tenantId);
        options.Authority = client.Authority;
        options.ClientId = client.ClientId;
        options.ClientSecret = client.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        // The answer comes back as a top-level GET: the correlation and nonce cookies can then be Lax, and the
        // callback is not a cross-site POST (which the console's origin rule refuses).
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.CallbackPath = SsoSchemes.CallbackPath(tenantId);
        options.SignedOutCallbackPath = $"/console/sso/{tenantId:D}/signed-out";
        options.RemoteSignOutPath = $"/console/sso/{tenantId:D}/sign-out";
        options.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
        // Nothing is signed in with the provider's principal: CompleteSsoSignIn maps it to an agent and signs
        // that agent in; the external scheme is named only because the handler requires one.
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.SaveTokens = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.MapInboundClaims = false;
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("email");
        options.Scope.Add("profile");
        options.RequireHttpsMetadata = !SsoAuthority.IsLoopbackHttpAllowed(client.Authority, environment);
        options.BackchannelTimeout = TimeSpan.FromSeconds(30);
        options.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = ctx =>
            {
                if (ctx.Properties.Items.TryGetValue(StartSsoSignIn.LoginHintItem, out var hint) && !string.IsNullOrEmpty(hint))
                {
                    ctx.ProtocolMessage.LoginHint = hint;
                }

                return Task.CompletedTask;
            },
            OnTicketReceived = ctx => ctx.HttpContext.RequestServices.GetRequiredService<CompleteSsoSignIn>().TicketReceivedAsync(tenantId, ctx),
            OnRemoteFailure = ctx => ctx.HttpContext.RequestServices.GetRequiredService<CompleteSsoSignIn>().RemoteFailureAsync(tenantId, ctx),
        };
    }
}

/// <summary>Which provider addresses are accepted.</summary>
internal static class SsoAuthority
{
    /// <summary>
    /// Plain HTTP only for a loopback provider in Development (tests and a provider on the developer's machine):
    /// elsewhere discovery, keys and the code exchange must be protected by TLS.
    /// </summary>
    public static bool IsLoopbackHttpAllowed(string authority, IHostEnvironment environment) =>
        environment.IsDevelopment() && Uri.TryCreate(authority, UriKind.Absolute, out var uri) &&
        uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    /// <summary>Null when acceptable, otherwise why not.</summary>
    public static string? Problem(string authority, IHostEnvironment environment)
    {
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) ||
            !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "authority must be an absolute https address without query, fragment or credentials.";
        }

        return uri.Scheme == Uri.UriSchemeHttps || IsLoopbackHttpAllowed(authority, environment)
            ? null
            : "authority must use https.";
    }
}
