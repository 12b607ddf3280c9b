using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>
/// Ends every session of a user: a new security stamp invalidates all cookies (checked on every request)
/// and bearer and refresh tokens (which carry the stamp), and the user's open hub connections are closed on every node.
/// </summary>
internal sealed partial class EndSessions(UserManager<AgentUser> users, AgentConnections connections, ILogger<EndSessions> logger)
{
    public async Task EndAllAsync(AgentUser user, string reason)
    {
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The security stamp could not be updated: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }

        var closed = connections.CloseEverywhere(user.Id);
        LogEnded(logger, user.Id, reason, closed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sessions of user {UserId} ended ({Reason}); {Connections} hub connections closed")]
    private static partial void LogEnded(ILogger logger, Guid userId, string reason, int connections);
}
