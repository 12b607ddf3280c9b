using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Kefu.IntegrationTests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider for the SSO tests: OpenIddict's server on a free loopback port, with discovery,
/// authorization (code flow, PKCE required), token and JWKS endpoints and ephemeral signing and encryption keys.
/// It has one client (<see cref="ClientId"/>/<see cref="ClientSecret"/>) whose redirect URIs the test registers,
/// and approves at once the person named by <c>login_hint</c> among <see cref="AddUser"/>'s, as a provider does
/// after its own sign-in page. No store: degraded mode, with the client checks written out below.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "kefu-console";
    public const string ClientSecret = "test-client-secret-7f3a";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TestOidcUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _redirectUris = new(StringComparer.Ordinal);

    private TestOidcProvider(WebApplication app) => _app = app;

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>Every authorization request's query, as received (the tests look for PKCE, state and nonce).</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string?>> AuthorizationRequests { get; } = new();

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        TestOidcProvider? provider = null;
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token").SetJsonWebKeySetEndpointUris(".well-known/jwks");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            o.EnableDegradedMode();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            o.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(ctx =>
            {
                if (ctx.ClientId != ClientId)
                {
                    ctx.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (ctx.RedirectUri is null || !provider!._redirectUris.ContainsKey(ctx.RedirectUri))
                {
                    ctx.Reject(Errors.InvalidRequest, "Unregistered redirect_uri.");
                }

                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(ctx =>
            {
                if (ctx.ClientId != ClientId || ctx.ClientSecret != ClientSecret)
                {
                    ctx.Reject(Errors.InvalidClient, "Wrong client credentials.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        provider = new TestOidcProvider(app);
        app.MapMethods("/connect/authorize", ["GET", "POST"], provider.Authorize);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Authority = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    /// <summary>Someone the provider knows; <paramref name="emailVerified"/> goes into the id token as <c>email_verified</c>.</summary>
    public void AddUser(string email, bool emailVerified = true, string? name = null) =>
        _users[email] = new TestOidcUser("sub-" + Guid.NewGuid().ToString("N"), email, emailVerified, name ?? "SSO " + email.Split('@')[0]);

    /// <summary>A redirect URI of the client, as an admin registers Kefu's at their provider.</summary>
    public void AllowRedirectUri(string uri) => _redirectUris[uri] = true;

    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        AuthorizationRequests.Enqueue(http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()));
        if (request.LoginHint is not { } hint || !_users.TryGetValue(hint, out var user))
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Unknown user.",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.Email, user.Email));
        identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.AddClaim(new Claim(Claims.Name, user.Name));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(static _ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record TestOidcUser(string Subject, string Email, bool EmailVerified, string Name);
}
