using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>Swaps a token session's one valid refresh token for the next, only if the one presented is still it.</summary>
internal sealed class SessionRotation(IDbContextFactory<KefuDbContext> dbs, TimeProvider time, SessionStarter starter)
{
    /// <summary>False when <paramref name="presented"/> is not the session's current refresh token (reuse) or the session ended.</summary>
    public async Task<bool> TryRotateAsync(Guid sessionId, Guid presented, Guid next, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + starter.Lifetime(SessionKind.Token);
        await using var db = await dbs.CreateDbContextAsync(ct);
        // A conditional update, the same on SQLite and PostgreSQL: of two racing refreshes with one token, one wins.
        return await db.AgentSessions
            .Where(s => s.Id == sessionId && s.EndedAt == null && s.RefreshTokenId == presented)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.RefreshTokenId, next)
                .SetProperty(s => s.LastSeenAt, now)
                .SetProperty(s => s.ExpiresAt, expires), ct) == 1;
    }
}
