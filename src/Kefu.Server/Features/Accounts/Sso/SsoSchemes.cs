using System.Collections.Concurrent;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>What a workspace's OpenID Connect handler is built from, with the secret decrypted.</summary>
internal sealed record SsoClient(Guid TenantId, string Authority, string ClientId, string? ClientSecret, DateTime Version);

/// <summary>
/// One OpenID Connect scheme per workspace, named <c>kefu-sso-{tenant id}</c>, built from the workspace's
/// settings row on demand (ADR 0007). Before a sign-in starts and before a callback is handled, the row is read
/// again; when it changed (here or on another node) the cached handler options are dropped and rebuilt.
/// </summary>
internal sealed class SsoSchemes(
    IDbContextFactory<KefuDbContext> dbFactory, IOptionsMonitorCache<OpenIdConnectOptions> optionsCache, IDataProtectionProvider protection)
{
    public const string Prefix = "kefu-sso-";

    private readonly ConcurrentDictionary<Guid, SsoClient> _clients = new();
    private readonly IDataProtector _secrets = protection.CreateProtector(SecretPurpose);

    /// <summary>The Data Protection purpose of stored client secrets.</summary>
    public const string SecretPurpose = "Kefu.Sso.ClientSecret.v1";

    public static string SchemeName(Guid tenantId) => Prefix + tenantId.ToString("D");

    public static bool TryGetTenant(string? scheme, out Guid tenantId)
    {
        tenantId = default;
        return scheme is not null && scheme.StartsWith(Prefix, StringComparison.Ordinal) &&
               Guid.TryParseExact(scheme[Prefix.Length..], "D", out tenantId);
    }

    public static string CallbackPath(Guid tenantId) => $"/console/sso/{tenantId:D}/callback";

    /// <summary>The workspace's enabled settings, with its handler options current; null when SSO is off or unset.</summary>
    public async Task<SsoSettings?> RefreshAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.Set<SsoSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        if (settings is not { Enabled: true })
        {
            return null;
        }

        if (!_clients.TryGetValue(tenantId, out var current) || current.Version != settings.UpdatedAt)
        {
            _clients[tenantId] = new SsoClient(tenantId, settings.Authority, settings.ClientId, Unprotect(settings.ProtectedClientSecret), settings.UpdatedAt);
            optionsCache.TryRemove(SchemeName(tenantId));
        }

        return settings;
    }

    /// <summary>The client last loaded by <see cref="RefreshAsync"/>; only handlers of refreshed schemes ask.</summary>
    public SsoClient Client(Guid tenantId) =>
        _clients.TryGetValue(tenantId, out var client) ? client : throw new InvalidOperationException("SSO settings were not loaded for this workspace.");

    public string Protect(string secret) => _secrets.Protect(secret);

    private string? Unprotect(string? stored) => stored is null ? null : _secrets.Unprotect(stored);
}

/// <summary>
/// Resolves <c>kefu-sso-{tenant}</c> names to the OpenID Connect handler without registering a scheme per
/// workspace. They are not request handlers (the authentication middleware would otherwise build one handler
/// per workspace for every request): <see cref="CompleteSsoSignIn"/> runs the callback itself.
/// </summary>
internal sealed class SsoSchemeProvider(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    public override async Task<AuthenticationScheme?> GetSchemeAsync(string name) =>
        await base.GetSchemeAsync(name) ?? (SsoSchemes.TryGetTenant(name, out _) ? new AuthenticationScheme(name, null, typeof(OpenIdConnectHandler)) : null);
}
