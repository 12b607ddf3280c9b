using Kefu.Server.Features.Calls.Contracts;

namespace Kefu.Server.Features.Calls;

/// <summary>The caller of a call operation: a visitor (contact id) or an agent (user id) of a workspace.</summary>
internal sealed record CallParty(CallSide Side, Guid TenantId, Guid Id)
{
    public Conversations.Contracts.Actor Actor => Side == CallSide.Agent
        ? Conversations.Contracts.Actor.Agent(Id)
        : Conversations.Contracts.Actor.Visitor(Id);
}

/// <summary>
/// One call, in memory on the node that took it (ADR 0035: calls are short and live; what lasts is their events in the
/// timeline). Transitions happen under <see cref="Gate"/>; events and pushes follow outside it.
/// </summary>
internal sealed class Call
{
    public required Guid Id { get; init; }
    public required Guid TenantId { get; init; }
    public required Guid ConversationId { get; init; }
    public required Guid ContactId { get; init; }
    public required Guid AgentId { get; init; }
    public required CallMedia Media { get; init; }
    public required CallSide StartedBy { get; init; }
    public required DateTime CreatedAt { get; init; }

    /// <summary>
    /// Who held the conversation when the call started (the calling agent, a colleague a supervisor calls in for, or
    /// nobody). Losing that assignment (to another agent, a team or the queue) ends the call; other changes to the
    /// conversation do not. A call from an unassigned conversation ends only when someone other than its agent gets it.
    /// </summary>
    public Guid? AssigneeAtStart { get; init; }
    public CallState State { get; set; } = CallState.Requested;
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? EndReason { get; set; }
    public CallSide? EndedBy { get; set; }

    public Lock Gate { get; } = new();

    /// <summary>ICE candidates counted per side in the current one-second window: [visitor, agent].</summary>
    private readonly long[] _iceWindow = new long[2];
    private readonly int[] _iceCount = new int[2];

    public bool IsParticipant(CallParty party) =>
        party.TenantId == TenantId && (party.Side == CallSide.Agent ? party.Id == AgentId : party.Id == ContactId);

    /// <summary>True when one more candidate from <paramref name="side"/> fits in <paramref name="perSecond"/>.</summary>
    public bool TakeIce(CallSide side, DateTime now, int perSecond)
    {
        var i = (int)side;
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        lock (Gate)
        {
            if (_iceWindow[i] != second)
            {
                _iceWindow[i] = second;
                _iceCount[i] = 0;
            }

            return ++_iceCount[i] <= perSecond;
        }
    }

    public CallDto ToDto() => new(Id, ConversationId, Media, State, StartedBy, CreatedAt, StartedAt, EndedAt, EndReason, EndedBy);
}
