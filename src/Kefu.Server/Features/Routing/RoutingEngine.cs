using System.Diagnostics;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;

namespace Kefu.Server.Features.Routing;

/// <summary>An agent as routing sees them at one instant. <see cref="Load"/> counts open conversations and pending offers.</summary>
internal sealed record AgentCandidate(
    Guid UserId, PresenceState Presence, bool Connected, int Load, int Capacity, SkillSet Skills, IReadOnlySet<Guid> Teams,
    DateTime? LastAssignedAt, DateTime? LastFreedAt)
{
    public int Load { get; set; } = Load;

    public DateTime? LastAssignedAt { get; set; } = LastAssignedAt;

    /// <summary>The inboxes the agent is limited to; null for all.</summary>
    public IReadOnlySet<Guid>? Inboxes { get; init; }

    /// <summary>When the agent became idle: the later of their last assignment and last freed conversation.</summary>
    public DateTime IdleSince => (LastAssignedAt, LastFreedAt) switch
    {
        (null, null) => DateTime.MinValue,
        ({ } a, null) => a,
        (null, { } f) => f,
        ({ } a, { } f) => a > f ? a : f,
    };
}

/// <summary>A waiting conversation as routing sees it.</summary>
internal sealed record QueueItem(
    Guid ConversationId, int Rank, DateTime EnqueuedAt, SkillSet RequiredSkills, Guid? TeamId, Guid? PreferredAgentId, IReadOnlySet<Guid> Declined)
{
    /// <summary>The conversation's inbox: agents limited to other inboxes are never offered it.</summary>
    public Guid InboxId { get; init; }
}

/// <summary>An inbox's routing rules as the engine needs them.</summary>
internal sealed record RoutingRules(RoutingStrategy Strategy, bool ReturnToPreviousAgent, TimeSpan? OverflowAfter, Guid? OverflowTeamId);

/// <summary>The engine's pick: an agent and why (<c>returning</c> or the strategy's name).</summary>
internal sealed record RoutingChoice(AgentCandidate Agent, string Reason);

/// <summary>
/// Routing decisions as pure functions: who may take a conversation (presence, connection, capacity, skills,
/// team), which of them gets it (strategy), and in what order waiting conversations are served (rank, then
/// longest waiting). No I/O and no clock of its own, so unit tests drive it with any instant.
/// </summary>
internal static class RoutingEngine
{
    /// <summary>Serving order: higher rank first (VIP, urgent), then the longest waiting, then id for a stable order.</summary>
    public static List<QueueItem> Order(IEnumerable<QueueItem> items) =>
        [.. items.OrderByDescending(i => i.Rank).ThenBy(i => i.EnqueuedAt).ThenBy(i => i.ConversationId)];

    /// <summary>Rank from the conversation's priority (low 0 … urgent 3) plus 10 for a VIP contact.</summary>
    public static int Rank(int priority, bool vip) => priority + (vip ? 10 : 0);

    public static bool Eligible(AgentCandidate agent, QueueItem item, RoutingRules rules, DateTime now) =>
        agent.Presence == PresenceState.Online && agent.Connected && agent.Load < agent.Capacity &&
        !item.Declined.Contains(agent.UserId) && (agent.Inboxes is null || agent.Inboxes.Contains(item.InboxId)) &&
        agent.Skills.Covers(item.RequiredSkills) && InTeam(agent, item, rules, now);

    /// <summary>
    /// Picks the agent for <paramref name="item"/>: the visitor's previous agent when allowed and eligible,
    /// otherwise the strategy's choice among eligible agents. <paramref name="agents"/> must be ordered by
    /// <see cref="AgentCandidate.UserId"/> (<see cref="RoutingAgents.LoadAsync"/> returns them so): round robin walks
    /// that ring from <paramref name="cursor"/>, the last agent given a conversation in this inbox.
    /// </summary>
    public static RoutingChoice? Choose(QueueItem item, IReadOnlyList<AgentCandidate> agents, RoutingRules rules, DateTime now, Guid? cursor)
    {
        Debug.Assert(IsOrdered(agents), "Candidates must be ordered by user id.");
        if (rules.ReturnToPreviousAgent && item.PreferredAgentId is { } previous)
        {
            foreach (var agent in agents)
            {
                if (agent.UserId == previous && Eligible(agent, item, rules, now))
                {
                    return new RoutingChoice(agent, "returning");
                }
            }
        }

        if (rules.Strategy == RoutingStrategy.RoundRobin)
        {
            // The first eligible id after the cursor, else the smallest: walking the ordered ring from the cursor
            // stops at the first eligible agent instead of testing every agent for every conversation (with a
            // thousand agents, that scan was half of a routing pass).
            var start = cursor is { } c ? FirstAfter(agents, c) : 0;
            for (var n = 0; n < agents.Count; n++)
            {
                var agent = agents[(start + n) % agents.Count];
                if (Eligible(agent, item, rules, now))
                {
                    return new RoutingChoice(agent, Name(rules.Strategy));
                }
            }

            return null;
        }

        AgentCandidate? best = null;
        foreach (var agent in agents)
        {
            if (Eligible(agent, item, rules, now) && (best is null || Better(agent, best, rules.Strategy)))
            {
                best = agent;
            }
        }

        return best is null ? null : new RoutingChoice(best, Name(rules.Strategy));
    }

    /// <summary>
    /// Counts a choice against the agent for the rest of the pass: one more conversation, and no longer idle. Without
    /// the second, longest-idle routing of a long line gave the same agent conversations until they were full.
    /// <paramref name="ordinal"/> is the choice's place in the pass: a pass has one instant, and each later choice
    /// must count as more recent (by a tick) for the rotation to go on past the first round.
    /// </summary>
    public static void Took(AgentCandidate agent, DateTime now, int ordinal)
    {
        agent.Load++;
        agent.LastAssignedAt = now.AddTicks(ordinal);
    }

    /// <summary>Orders candidates by user id, the ring <see cref="Choose"/> walks for round robin.</summary>
    public static void OrderById(List<AgentCandidate> agents) => agents.Sort((a, b) => a.UserId.CompareTo(b.UserId));

    public static string Name(RoutingStrategy strategy) => strategy switch
    {
        RoutingStrategy.RoundRobin => "round_robin",
        RoutingStrategy.LeastBusy => "least_busy",
        _ => "longest_idle",
    };

    /// <summary>Index of the first agent whose id is greater than <paramref name="cursor"/>; the count when none is.</summary>
    private static int FirstAfter(IReadOnlyList<AgentCandidate> agents, Guid cursor)
    {
        var (low, high) = (0, agents.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (agents[middle].UserId.CompareTo(cursor) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private static bool IsOrdered(IReadOnlyList<AgentCandidate> agents)
    {
        for (var i = 1; i < agents.Count; i++)
        {
            if (agents[i - 1].UserId.CompareTo(agents[i].UserId) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool InTeam(AgentCandidate agent, QueueItem item, RoutingRules rules, DateTime now)
    {
        if (item.TeamId is not { } team || agent.Teams.Contains(team))
        {
            return true;
        }

        // Overflow widens the circle to a second team once the visitor has waited long enough.
        return rules.OverflowAfter is { } after && rules.OverflowTeamId is { } overflow &&
               now - item.EnqueuedAt >= after && agent.Teams.Contains(overflow);
    }

    private static bool Better(AgentCandidate a, AgentCandidate b, RoutingStrategy strategy)
    {
        if (strategy == RoutingStrategy.LeastBusy)
        {
            // Compare load as a share of capacity (a*capB vs b*capA avoids fractions), then who waited longest.
            var left = (long)a.Load * b.Capacity;
            var right = (long)b.Load * a.Capacity;
            if (left != right)
            {
                return left < right;
            }
        }

        var idle = a.IdleSince.CompareTo(b.IdleSince);
        return idle != 0 ? idle < 0 : a.UserId.CompareTo(b.UserId) < 0;
    }
}
