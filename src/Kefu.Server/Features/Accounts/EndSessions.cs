using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.SignIn;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>
/// Ends every session of a user: a new security stamp invalidates all cookies (checked on every request)
/// and bearer and refresh tokens (which carry the stamp), every session row ends (audited), and the user's open hub
/// connections are closed on every node.
/// </summary>
internal sealed partial class EndSessions(UserManager<AgentUser> users, SessionEnder sessions, IHttpContextAccessor http, ILogger<EndSessions> logger)
{
    /// <param name="user">Whose sessions end.</param>
    /// <param name="reason">A fixed word for the log and the audit trail, e.g. <c>password_change</c>.</param>
    public async Task EndAllAsync(AgentUser user, string reason)
    {
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The security stamp could not be updated: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }

        var by = AgentIdentity.From(http.HttpContext?.User)?.UserId;
        var ended = await sessions.EndAllAsync(user.Id, by, reason);
        LogEnded(logger, user.Id, reason, ended);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sessions of user {UserId} ended ({Reason}); {Sessions} were open")]
    private static partial void LogEnded(ILogger logger, Guid userId, string reason, int sessions);
}
