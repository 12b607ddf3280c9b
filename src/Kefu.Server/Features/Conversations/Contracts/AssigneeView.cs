using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Whose conversations a list shows, within the agent's scope and inboxes.</summary>
public enum AssigneeView
{
    /// <summary>Assigned to the agent.</summary>
    Mine,

    /// <summary>Nobody holds it yet (the bot, the line, or left a message). Needs at least the team scope.</summary>
    Unassigned,

    /// <summary>Assigned to the agent or to someone who shares one of their teams. Needs the team scope and a team.</summary>
    Team,

    /// <summary>Every conversation of the agent's inboxes. Needs <see cref="Permission.ConversationsAll"/>.</summary>
    All,
}

/// <summary>Open conversations (anything not resolved) per view; null for a view the agent may not use.</summary>
/// <param name="Mine">Assigned to the agent.</param>
/// <param name="Unassigned">Held by nobody.</param>
/// <param name="Team">Held by the agent or a teammate.</param>
/// <param name="All">Every one the agent may see.</param>
public sealed record ConversationCounts(int? Mine, int? Unassigned, int? Team, int? All);

/// <summary>Which views an agent may use: the same rule for lists, counts and the console's tabs.</summary>
public static class AssigneeViews
{
    /// <summary>True when <paramref name="access"/> allows <paramref name="view"/>.</summary>
    public static bool Allows(this AgentAccess access, AssigneeView view) => view switch
    {
        AssigneeView.Mine => access.Scope != ConversationScope.None,
        AssigneeView.Unassigned => access.Scope is ConversationScope.Team or ConversationScope.All,
        AssigneeView.Team => access.Scope is ConversationScope.Team or ConversationScope.All && access.Teams.Count > 0,
        AssigneeView.All => access.Has(Permission.ConversationsAll),
        _ => false,
    };

    /// <summary>The views <paramref name="access"/> allows, in tab order.</summary>
    public static IReadOnlyList<AssigneeView> Allowed(this AgentAccess access) =>
        [.. Enum.GetValues<AssigneeView>().Where(access.Allows)];
}
