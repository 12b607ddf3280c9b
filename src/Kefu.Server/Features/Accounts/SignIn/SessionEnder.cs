using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// Ends sessions: the row (so the next request of that cookie or token, on any node, is refused), the audit entry
/// (in the same commit), and the hub connections opened with it (closed on every node).
/// </summary>
internal sealed partial class SessionEnder(
    IDbContextFactory<KefuDbContext> dbs, AgentConnections connections, IAuditLog audit, TimeProvider time, ILogger<SessionEnder> logger)
{
    /// <summary>Ends one session of <paramref name="userId"/>; false when it is not theirs or has already ended.</summary>
    /// <param name="endedBy">The person who ended it, or null for the server (refresh-token reuse).</param>
    /// <param name="reason">A fixed word for the audit trail, e.g. <c>sign_out</c>.</param>
    /// <param name="signOut">The user signed this session out: audited as <c>auth.signed_out</c> of the agent, not <c>auth.session_ended</c>.</param>
    public async Task<bool> EndAsync(Guid userId, Guid sessionId, Guid? endedBy, string reason, CancellationToken ct = default, bool signOut = false)
    {
        var record = signOut
            ? new AuditRecord(AuditActions.SignedOut, "agent", userId.ToString(), $"session={sessionId}")
            : new AuditRecord(AuditActions.SessionEnded, "session", sessionId.ToString(), reason);
        var ended = await EndRowsAsync(userId, sessionId, endedBy, record, ct);
        if (ended > 0)
        {
            connections.CloseSessionEverywhere(userId, sessionId);
            LogEnded(logger, sessionId, userId, reason);
        }

        return ended > 0;
    }

    /// <summary>Ends every open session of <paramref name="userId"/> but <paramref name="except"/>; returns how many.</summary>
    public async Task<int> EndAllAsync(Guid userId, Guid? endedBy, string reason, Guid? except = null, CancellationToken ct = default)
    {
        var ended = await EndRowsAsync(userId, except, endedBy, new AuditRecord(AuditActions.SessionsEnded, "user", userId.ToString(), reason), ct, all: true);
        if (except is null)
        {
            connections.CloseEverywhere(userId);
        }
        else
        {
            connections.CloseAllButSessionEverywhere(userId, except.Value);
        }

        LogEndedAll(logger, ended, userId, reason);
        return ended;
    }

    private async Task<int> EndRowsAsync(Guid userId, Guid? sessionId, Guid? endedBy, AuditRecord record, CancellationToken ct, bool all = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var open = db.AgentSessions.Where(s => s.UserId == userId && s.EndedAt == null);
        open = all ? open.Where(s => sessionId == null || s.Id != sessionId) : open.Where(s => s.Id == sessionId);
        var tenantId = await db.Users.Where(u => u.Id == userId).Select(u => (Guid?)u.TenantId).FirstOrDefaultAsync(ct);
        var ended = await open.ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndedBy, endedBy), ct);
        if (ended > 0 || all)
        {
            audit.Add(db, record with
            {
                Detail = all ? $"{record.Detail}; {ended} sessions" : record.Detail,
                TenantId = tenantId,
                ActorId = endedBy,
            });
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return ended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} of user {UserId} ended ({Reason})")]
    private static partial void LogEnded(ILogger logger, Guid sessionId, Guid userId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} sessions of user {UserId} ended ({Reason})")]
    private static partial void LogEndedAll(ILogger logger, int count, Guid userId, string reason);
}
