using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Accounts;

/// <summary>Whether a console user may still sign in at all.</summary>
internal static class AgentStatus
{
    /// <summary>
    /// Deactivation locks the account with no end (<see cref="DeactivateAgent"/>); a temporary lockout after
    /// failed passwords ends within minutes and protects the password only.
    /// </summary>
    public static bool IsDeactivated(AgentUser user) => user.LockoutEnd is { } end && end.Year >= 9999;
}
