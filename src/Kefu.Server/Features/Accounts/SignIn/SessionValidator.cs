using System.Security.Claims;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>What the per-request check found.</summary>
/// <param name="Valid">The session stands and the principal's security stamp is the user's.</param>
/// <param name="EnrolmentRequired">The workspace requires two-factor sign-in and this password session has none yet.</param>
internal readonly record struct SessionCheck(bool Valid, bool EnrolmentRequired);

/// <summary>
/// The check every authenticated request, hub connection and console circuit passes: one query (session, user and
/// workspace joined by key) replaces the security-stamp lookup that stood here before, so a request costs what it
/// did. Ending a session, or all of a user's (a new stamp), refuses the next request on every node, with no cache
/// to wait for. Last-seen is written at most once a minute per session.
/// </summary>
internal sealed class SessionValidator(IDbContextFactory<KefuDbContext> dbs, TimeProvider time, IOptions<IdentityOptions> identity, SessionStarter starter)
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which a request is marked as needing two-factor enrolment first.</summary>
    public const string EnrolmentRequiredItem = "kefu:two-factor-enrolment-required";

    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public async Task<SessionCheck> CheckAsync(ClaimsPrincipal? principal, CancellationToken ct = default)
    {
        if (principal is null || SessionClaims.Session(principal) is not { } sessionId ||
            !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return default;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await (
                from s in db.AgentSessions
                where s.Id == sessionId
                join u in db.Users on s.UserId equals u.Id
                join t in db.Tenants on u.TenantId equals t.Id
                select new { s.UserId, s.Kind, s.LastSeenAt, s.EndedAt, u.SecurityStamp, u.TwoFactorEnabled, t.RequireTwoFactor })
            .AsNoTracking().FirstOrDefaultAsync(ct);
        if (row is null || row.UserId != userId || row.EndedAt is not null ||
            row.SecurityStamp != principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType))
        {
            return default;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (now - row.LastSeenAt >= TouchEvery)
        {
            var due = now - TouchEvery;
            var cookieExpiry = now + starter.Lifetime(SessionKind.Console);
            // Conditional, so concurrent requests of one session write once; a token session's expiry moves only on refresh.
            await db.AgentSessions.Where(s => s.Id == sessionId && s.LastSeenAt <= due)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.LastSeenAt, now)
                    .SetProperty(s => s.ExpiresAt, s => s.Kind == SessionKind.Token ? s.ExpiresAt : cookieExpiry), ct);
        }

        return new SessionCheck(true, row.RequireTwoFactor && !row.TwoFactorEnabled && row.Kind != SessionKind.SingleSignOn);
    }
}
