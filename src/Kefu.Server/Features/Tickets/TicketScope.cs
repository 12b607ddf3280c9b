using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Which tickets an agent sees: the conversation rules of ADR 0008 applied to the ticket's own inbox, assignee and
/// team. Agents who see every conversation see every ticket (the common case: no extra filter). Otherwise a ticket
/// must be of one of the agent's inboxes (one without an inbox only when it is theirs or their team's), and within
/// their scope: all; their own, their teammates', their teams' and the unassigned; or only their own (also for a role
/// with the ticket permission but no conversation scope). A ticket outside answers 404, like another workspace's.
/// </summary>
internal static class TicketScope
{
    /// <summary>Whether <paramref name="access"/> sees <paramref name="t"/>.</summary>
    public static bool CanSee(AgentAccess access, WorkspaceAccess workspace, Ticket t)
    {
        if (access.SeesEverything)
        {
            return true;
        }

        var me = access.UserId;
        var mineOrTeams = t.AssigneeId == me || (t.TeamId is { } team && access.Teams.Contains(team));
        if (t.InboxId is { } inbox ? !access.MayUseInbox(inbox) : access.Inboxes is not null && !mineOrTeams)
        {
            return false;
        }

        return access.Scope switch
        {
            ConversationScope.All => true,
            ConversationScope.Team => t.AssigneeId is null || mineOrTeams || workspace.TeamsOf(t.AssigneeId.Value).Overlaps(access.Teams),
            _ => t.AssigneeId == me,
        };
    }

    /// <summary>The same rule as a query filter (for lists, views and bulk lookups).</summary>
    public static IQueryable<Ticket> Visible(this IQueryable<Ticket> query, AgentAccess access, WorkspaceAccess workspace)
    {
        if (access.SeesEverything)
        {
            return query;
        }

        var me = access.UserId;
        var teams = access.Teams.Select(t => (Guid?)t).ToList();
        if (access.Inboxes is { } inboxes)
        {
            var allowed = inboxes.Select(i => (Guid?)i).ToList();
            query = query.Where(t => t.InboxId != null ? allowed.Contains(t.InboxId) : t.AssigneeId == me || teams.Contains(t.TeamId));
        }

        switch (access.Scope)
        {
            case ConversationScope.All:
                return query;
            case ConversationScope.Team:
                var teammates = workspace.Agents.Where(a => a.Teams.Overlaps(access.Teams)).Select(a => (Guid?)a.UserId).Append(me).Distinct().ToList();
                return query.Where(t => t.AssigneeId == null || teammates.Contains(t.AssigneeId) || teams.Contains(t.TeamId));
            default:
                return query.Where(t => t.AssigneeId == me);
        }
    }
}
