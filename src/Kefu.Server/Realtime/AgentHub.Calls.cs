using Kefu.Server.Features.Calls;
using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Realtime;

/// <summary>Calls on <c>/hubs/agent</c> (issue 19): offer, answer, hang up, relay WebRTC signals (docs/calls.md).</summary>
internal sealed partial class AgentHub
{
    private CallParty AgentParty => new(CallSide.Agent, Agent.TenantId, Agent.UserId);

    /// <summary>Offers the visitor a call in a conversation the caller may act in; it rings in the widget.</summary>
    public async Task<HubResult<CallDto>> OfferCall(Guid conversationId, CallMedia media)
    {
        var agent = Agent;
        var owner = await directory.FindAsync(conversationId, Context.ConnectionAborted);
        if (owner is null || owner.TenantId != agent.TenantId)
        {
            return HubResult<CallDto>.Failure(ConversationErrors.ConversationNotFound);
        }

        // Calling is acting, like typing: not in a colleague's conversation.
        if (await access.CheckAsync(agent, conversationId, Context.ConnectionAborted) is { } denied)
        {
            return HubResult<CallDto>.Failure(denied);
        }

        return CallResult(await calls.Start.HandleAsync(AgentParty, conversationId, media, CancellationToken.None));
    }

    /// <summary>Accepts a call the visitor requested.</summary>
    public async Task<HubResult<CallDto>> AcceptCall(Guid callId) => CallResult(await calls.Answer.HandleAsync(AgentParty, callId, accept: true));

    /// <summary>Declines a call the visitor requested.</summary>
    public async Task<HubResult<CallDto>> DeclineCall(Guid callId) => CallResult(await calls.Answer.HandleAsync(AgentParty, callId, accept: false));

    /// <summary>Ends a call; <paramref name="failed"/> when the connection could not be restored.</summary>
    public async Task<HubResult<CallDto>> HangUpCall(Guid callId, bool failed = false) => CallResult(await calls.HangUp.HandleAsync(AgentParty, callId, failed));

    /// <summary>Relays an SDP or an ICE candidate to the visitor; false when a candidate was dropped by the rate limit.</summary>
    public async Task<HubResult<bool>> SendCallSignal(Guid callId, string? kind, string? payload)
    {
        var (relayed, error) = await calls.Relay.HandleAsync(AgentParty, callId, kind, payload);
        return error is null ? HubResult<bool>.Success(relayed) : HubResult<bool>.Failure(error);
    }

    /// <summary>ICE servers (STUN, TURN with time-limited credentials) for the caller's peer connection.</summary>
    public HubResult<IceConfigDto> GetCallConfig() => HubResult<IceConfigDto>.Success(calls.Config.Handle());

    private static HubResult<CallDto> CallResult((CallDto? Call, KefuError? Error) result) =>
        result.Error is null ? HubResult<CallDto>.Success(result.Call!) : HubResult<CallDto>.Failure(result.Error);
}
