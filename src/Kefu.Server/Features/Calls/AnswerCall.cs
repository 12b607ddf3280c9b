using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Calls;

/// <summary>The called side accepts (the call becomes active, <c>call.started</c>) or declines (it ends, <c>declined</c>).</summary>
internal sealed class AnswerCall(CallLifecycle lifecycle)
{
    public async Task<(CallDto? Call, KefuError? Error)> HandleAsync(CallParty party, Guid callId, bool accept)
    {
        var (call, error) = await lifecycle.FindAsync(party, callId);
        if (call is null)
        {
            return (null, error);
        }

        lock (call.Gate)
        {
            // Only the called side answers, and only a ringing call: a second accept (another tab) is refused.
            if (call.State != CallState.Ringing || call.StartedBy == party.Side)
            {
                return (null, CallErrors.InvalidState);
            }

            if (accept)
            {
                call.State = CallState.Active;
                call.StartedAt = lifecycle.Now;
            }
        }

        if (!accept)
        {
            await lifecycle.EndAsync(call, party, CallEndReasons.Declined);
            return (call.ToDto(), null);
        }

        await lifecycle.RecordAsync(new CallStarted(call.Id, call.Media)
        {
            TenantId = call.TenantId, ConversationId = call.ConversationId, Actor = party.Actor, OccurredAt = call.StartedAt!.Value,
        });
        await lifecycle.PushAsync(call);
        return (call.ToDto(), null);
    }
}
