using Kefu.Server.Features.Calls;
using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Realtime;

/// <summary>Calls on <c>/hubs/visitor</c> (issue 19): request, answer, hang up, relay WebRTC signals (docs/calls.md).</summary>
internal sealed partial class VisitorHub
{
    private CallParty VisitorParty => new(CallSide.Visitor, Visitor.TenantId, Visitor.ContactId);

    /// <summary>Asks the conversation's agent for a call (when the inbox allows that kind of call); it rings in their console.</summary>
    public async Task<HubResult<CallDto>> RequestCall(Guid conversationId, CallMedia media)
    {
        if (!calls.Budget.Take(VisitorParty))
        {
            return HubResult<CallDto>.Failure(CallErrors.RateLimited);
        }

        // The one ownership check: another visitor's conversation is "not found", like every other visitor call.
        if (await directory.FindForVisitorAsync(Visitor, conversationId, Context.ConnectionAborted) is null)
        {
            return HubResult<CallDto>.Failure(ConversationErrors.ConversationNotFound);
        }

        return CallResult(await calls.Start.HandleAsync(VisitorParty, conversationId, media, CancellationToken.None));
    }

    /// <summary>Accepts a call the agent offered.</summary>
    public async Task<HubResult<CallDto>> AcceptCall(Guid callId) => CallResult(await calls.Answer.HandleAsync(VisitorParty, callId, accept: true));

    /// <summary>Declines a call the agent offered.</summary>
    public async Task<HubResult<CallDto>> DeclineCall(Guid callId) => CallResult(await calls.Answer.HandleAsync(VisitorParty, callId, accept: false));

    /// <summary>Ends a call; <paramref name="failed"/> when the connection could not be restored.</summary>
    public async Task<HubResult<CallDto>> HangUpCall(Guid callId, bool failed = false) => CallResult(await calls.HangUp.HandleAsync(VisitorParty, callId, failed));

    /// <summary>Relays an SDP or an ICE candidate to the agent; false when a candidate was dropped by the rate limit.</summary>
    public async Task<HubResult<bool>> SendCallSignal(Guid callId, string? kind, string? payload)
    {
        var (relayed, error) = await calls.Relay.HandleAsync(VisitorParty, callId, kind, payload);
        return error is null ? HubResult<bool>.Success(relayed) : HubResult<bool>.Failure(error);
    }

    /// <summary>ICE servers (STUN, TURN with time-limited credentials) and which calls the visitor may start in their inbox.</summary>
    public async Task<HubResult<IceConfigDto>> GetCallConfig() =>
        HubResult<IceConfigDto>.Success(calls.Config.Handle(await calls.InboxSettings.ForVisitorAsync(Visitor.TenantId, Visitor.InboxId, Context.ConnectionAborted)));

    private static HubResult<CallDto> CallResult((CallDto? Call, KefuError? Error) result) =>
        result.Error is null ? HubResult<CallDto>.Success(result.Call!) : HubResult<CallDto>.Failure(result.Error);
}
