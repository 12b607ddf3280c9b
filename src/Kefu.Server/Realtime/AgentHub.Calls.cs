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
        if (!calls.Budget.Take(AgentParty))
        {
            return HubResult<CallDto>.Failure(CallErrors.RateLimited);
        }

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
    public async Task<HubResult<CallDto>> AcceptCall(Guid callId) =>
        await LostCallAsync(callId) is { } lost ? HubResult<CallDto>.Failure(lost) : CallResult(await calls.Answer.HandleAsync(AgentParty, callId, accept: true));

    /// <summary>Declines a call the visitor requested.</summary>
    public async Task<HubResult<CallDto>> DeclineCall(Guid callId) => CallResult(await calls.Answer.HandleAsync(AgentParty, callId, accept: false));

    /// <summary>Ends a call; <paramref name="failed"/> when the connection could not be restored.</summary>
    public async Task<HubResult<CallDto>> HangUpCall(Guid callId, bool failed = false) => CallResult(await calls.HangUp.HandleAsync(AgentParty, callId, failed));

    /// <summary>Relays an SDP or an ICE candidate to the visitor; false when a candidate was dropped by the rate limit.</summary>
    public async Task<HubResult<bool>> SendCallSignal(Guid callId, string? kind, string? payload)
    {
        if (await LostCallAsync(callId) is { } lost)
        {
            return HubResult<bool>.Failure(lost);
        }

        var (relayed, error) = await calls.Relay.HandleAsync(AgentParty, callId, kind, payload);
        return error is null ? HubResult<bool>.Success(relayed) : HubResult<bool>.Failure(error);
    }

    /// <summary>
    /// The call ringing or running in a conversation the caller takes part in, or null: a console opening the
    /// conversation after the ring (from the shell's alert) shows it at once.
    /// </summary>
    public async Task<HubResult<CallDto?>> GetLiveCall(Guid conversationId) =>
        // Asked only about a conversation the caller may see: another workspace's, or one outside their scope, is not
        // found (as for every hub method), rather than an empty answer that tells it exists.
        await access.CheckAsync(Agent, conversationId, Context.ConnectionAborted) is { } denied
            ? HubResult<CallDto?>.Failure(denied)
            : HubResult<CallDto?>.Success(await calls.Lifecycle.LiveForAsync(AgentParty, conversationId));

    /// <summary>ICE servers (STUN, TURN with time-limited credentials) for the caller's peer connection.</summary>
    public HubResult<IceConfigDto> GetCallConfig() => HubResult<IceConfigDto>.Success(calls.Config.Handle());

    /// <summary>
    /// <c>call_not_found</c> when the caller may no longer act in the call's conversation (transferred away, scope
    /// changed): checked on accept and on every relayed signal, not only when the call was offered (ADR 0040).
    /// </summary>
    private async Task<KefuError?> LostCallAsync(Guid callId) =>
        calls.Lifecycle.ConversationOf(AgentParty, callId) is { } conversationId
        && await access.CheckAsync(Agent, conversationId, Context.ConnectionAborted) is not null
            ? CallErrors.CallNotFound
            : null;

    private static HubResult<CallDto> CallResult((CallDto? Call, KefuError? Error) result) =>
        result.Error is null ? HubResult<CallDto>.Success(result.Call!) : HubResult<CallDto>.Failure(result.Error);
}
