using System.Security.Claims;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>Writes the session row of a new sign-in (with its audit entry, in one commit) and binds the principal to it.</summary>
internal sealed class SessionStarter(
    IDbContextFactory<KefuDbContext> dbs, IAuditLog audit, TimeProvider time,
    IOptionsMonitor<CookieAuthenticationOptions> cookies, IOptionsMonitor<BearerTokenOptions> bearer)
{
    /// <summary>The authentication methods (<c>amr</c>) of a password sign-in; any other is single sign-on.</summary>
    private static readonly HashSet<string> PasswordMethods = new(StringComparer.Ordinal) { "pwd", "mfa" };

    public async Task StartAsync(HttpContext http, string scheme, ClaimsIdentity identity)
    {
        if (!Guid.TryParse(identity.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId) ||
            !Guid.TryParse(identity.FindFirst(AgentIdentity.TenantClaim)?.Value, out var tenantId))
        {
            return; // not an agent principal: it gets no session, and without one it is refused everywhere
        }

        var method = identity.FindFirst(ClaimTypes.AuthenticationMethod)?.Value;
        var kind = scheme == IdentityConstants.BearerScheme ? SessionKind.Token
            : method is null || PasswordMethods.Contains(method) ? SessionKind.Console : SessionKind.SingleSignOn;
        var now = time.GetUtcNow().UtcDateTime;
        var session = new AgentSession
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            TenantId = tenantId,
            Kind = kind,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + Lifetime(kind),
            ClientIp = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = UserAgentSummary.Of(http.Request.Headers.UserAgent.ToString()),
            RefreshTokenId = kind == SessionKind.Token ? Guid.NewGuid() : null,
        };

        await using var db = await dbs.CreateDbContextAsync();
        db.AgentSessions.Add(session);
        audit.Add(db, new AuditRecord(AuditActions.SignedIn, "session", session.Id.ToString(), $"{kind}; {method ?? "none"}")
        {
            TenantId = tenantId,
            ActorId = userId,
            ActorName = identity.FindFirst(AgentIdentity.NameClaim)?.Value,
        });
        await db.SaveChangesAsync();

        identity.AddClaim(new Claim(SessionClaims.SessionId, session.Id.ToString()));
        if (session.RefreshTokenId is { } refresh)
        {
            identity.AddClaim(new Claim(SessionClaims.RefreshTokenId, refresh.ToString()));
        }
    }

    /// <summary>How long a session lives without activity: the cookie's sliding lifetime, or the refresh token's.</summary>
    public TimeSpan Lifetime(SessionKind kind) => kind == SessionKind.Token
        ? bearer.Get(IdentityConstants.BearerScheme).RefreshTokenExpiration
        : cookies.Get(IdentityConstants.ApplicationScheme).ExpireTimeSpan;
}

/// <summary>"Chrome on Windows": enough to recognise a session in the list, without keeping the whole header.</summary>
internal static class UserAgentSummary
{
    public static string? Of(string header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var browser = header switch
        {
            _ when header.Contains("Edg/", StringComparison.Ordinal) => "Edge",
            _ when header.Contains("Firefox/", StringComparison.Ordinal) => "Firefox",
            _ when header.Contains("Chrome/", StringComparison.Ordinal) || header.Contains("Chromium/", StringComparison.Ordinal) => "Chrome",
            _ when header.Contains("Safari/", StringComparison.Ordinal) => "Safari",
            _ => null,
        };
        var os = header switch
        {
            _ when header.Contains("Android", StringComparison.Ordinal) => "Android",
            _ when header.Contains("iPhone", StringComparison.Ordinal) || header.Contains("iPad", StringComparison.Ordinal) => "iOS",
            _ when header.Contains("Windows", StringComparison.Ordinal) => "Windows",
            _ when header.Contains("Mac OS X", StringComparison.Ordinal) => "macOS",
            _ when header.Contains("Linux", StringComparison.Ordinal) => "Linux",
            _ => null,
        };
        if (browser is not null)
        {
            return os is null ? browser : $"{browser} on {os}";
        }

        // Not a browser (an app, a bot, a script): its first product token, printable and short.
        var product = new string(header.Split(' ', 2)[0].Where(c => c is > ' ' and < (char)127).Take(40).ToArray());
        return product.Length == 0 ? null : product;
    }
}
