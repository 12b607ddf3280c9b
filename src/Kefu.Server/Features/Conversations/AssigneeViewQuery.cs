using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Conversations;

/// <summary>The SQL forms of an agent's scope and of the views, shared by the lists and the counts so a tab's count is its list's length.</summary>
internal static class AssigneeViewQuery
{
    /// <summary>The SQL form of <see cref="AgentAccess.CanSee"/>.</summary>
    public static IQueryable<Conversation> Scoped(this IQueryable<Conversation> query, AgentAccess access, WorkspaceAccess workspace)
    {
        if (access.SeesEverything)
        {
            return query;
        }

        if (access.Inboxes is { } inboxes)
        {
            var allowed = inboxes.ToList();
            query = query.Where(c => allowed.Contains(c.InboxId));
        }

        var me = access.UserId;
        switch (access.Scope)
        {
            case ConversationScope.All:
                return query;
            case ConversationScope.Team:
                var teammates = Teammates(access, workspace);
                return query.Where(c => c.AssigneeId == null || teammates.Contains(c.AssigneeId));
            case ConversationScope.Assigned:
                return query.Where(c => c.AssigneeId == me);
            default:
                return query.Where(c => false);
        }
    }

    /// <summary>Narrows an already scoped query to <paramref name="view"/>; the caller checked <see cref="AssigneeViews.Allows"/>.</summary>
    public static IQueryable<Conversation> InView(this IQueryable<Conversation> query, AssigneeView view, AgentAccess access, WorkspaceAccess workspace)
    {
        var me = access.UserId;
        switch (view)
        {
            case AssigneeView.Mine:
                return query.Where(c => c.AssigneeId == me);
            case AssigneeView.Unassigned:
                return query.Where(c => c.AssigneeId == null);
            case AssigneeView.Team:
                // Held by a teammate, or waiting in the line of one of the agent's teams: the work the team shares.
                var teammates = Teammates(access, workspace);
                var teams = access.Teams.Select(t => (Guid?)t).ToList();
                return query.Where(c => (c.AssigneeId != null && teammates.Contains(c.AssigneeId)) ||
                                        (c.AssigneeId == null && c.Handler == ConversationHandler.Queue && teams.Contains(c.TeamId)));
            default:
                return query;
        }
    }

    public static IQueryable<Conversation> WithStatus(this IQueryable<Conversation> query, ConversationFilter filter) => filter switch
    {
        ConversationFilter.Open => query.Where(c => c.Status == ConversationStatus.Open),
        ConversationFilter.Snoozed => query.Where(c => c.Status == ConversationStatus.Snoozed),
        ConversationFilter.Pending => query.Where(c => c.Status == ConversationStatus.Pending),
        ConversationFilter.Resolved => query.Where(c => c.Status == ConversationStatus.Resolved),
        _ => query,
    };

    /// <summary>The agent and everyone sharing one of their teams.</summary>
    private static List<Guid?> Teammates(AgentAccess access, WorkspaceAccess workspace) =>
        [.. workspace.Agents.Where(a => a.Teams.Overlaps(access.Teams)).Select(a => (Guid?)a.UserId).Append(access.UserId).Distinct()];
}
