namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>How an inbox picks among eligible agents.</summary>
public enum RoutingStrategy
{
    /// <summary>In turn: the next eligible agent after the one who got the previous conversation.</summary>
    RoundRobin,

    /// <summary>The agent with the lowest load for their capacity (ties: the one idle longest).</summary>
    LeastBusy,

    /// <summary>The agent idle the longest (since their last assignment or freed conversation).</summary>
    LongestIdle,
}

/// <summary>What routing does with a waiting conversation in an inbox.</summary>
public enum AssignmentMode
{
    /// <summary>Nothing automatic: the conversation waits in the shared queue until an agent takes it.</summary>
    Manual,

    /// <summary>Assigned to the chosen agent at once.</summary>
    Auto,

    /// <summary>Offered to the chosen agent, who accepts within the timeout or the next agent is offered.</summary>
    Offer,
}

/// <summary>Where a conversation stands in the queue.</summary>
public enum QueueState
{
    /// <summary>Waiting for an agent.</summary>
    Waiting,

    /// <summary>Offered to one agent, waiting for their answer.</summary>
    Offered,

    /// <summary>The visitor chose to leave a message instead of waiting: an agent answers later; not routed.</summary>
    LeftMessage,
}
