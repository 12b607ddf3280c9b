using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>Typed errors of routing, presence and teams. Each changes nothing.</summary>
public static class RoutingErrors
{
    /// <summary>No such agent in the caller's workspace.</summary>
    public static readonly KefuError AgentNotFound = new("agent_not_found", "No such agent.");

    /// <summary>No such team in the caller's workspace.</summary>
    public static readonly KefuError TeamNotFound = new("team_not_found", "No such team.");

    /// <summary>No such inbox in the caller's workspace.</summary>
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "No such inbox.");

    /// <summary>The target agent is not online (busy, away, offline, or not connected).</summary>
    public static readonly KefuError AgentOffline = new("agent_offline", "The agent is not online.");

    /// <summary>The target agent holds as many conversations as their capacity allows.</summary>
    public static readonly KefuError AgentAtCapacity = new("agent_at_capacity", "The agent has no free capacity.");

    /// <summary>Someone else holds the conversation (or it is resolved).</summary>
    public static readonly KefuError AlreadyAssigned = new("already_assigned", "The conversation is already assigned or resolved.");

    /// <summary>No open offer of this conversation to the caller (expired, declined, or never made).</summary>
    public static readonly KefuError OfferNotFound = new("offer_not_found", "No open offer of this conversation to you.");

    /// <summary>The conversation is not waiting in the queue.</summary>
    public static readonly KefuError NotQueued = new("not_queued", "The conversation is not waiting in the queue.");

    /// <summary>Only supervisors and admins may do this.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "Only supervisors and admins may do this.");

    /// <summary>A transfer names neither an agent nor a team, or both.</summary>
    public static readonly KefuError TransferTarget = new("invalid_transfer", "Name exactly one of agentId and teamId.");

    /// <summary>No agent of the workspace has the team and skills an inbox's rule asks for.</summary>
    public static readonly KefuError RuleMatchesNothing = new("rule_matches_nothing", "No agent has the team and skills this rule requires.");

    /// <summary>A setting is out of range or malformed; the message says which.</summary>
    public static KefuError Invalid(string message) => new("invalid_setting", message);
}
