using System.Text;
using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// Relays an SDP offer or answer or an ICE candidate to the other side of an active call, and only there. Kefu does not
/// read the payload; it bounds its size and the candidates' rate. The result is false when a candidate was dropped by
/// the rate limit (trickle ICE tolerates a lost candidate; a flood must not reach the other browser).
/// </summary>
internal sealed class RelayCallSignal(CallLifecycle lifecycle)
{
    public async Task<(bool Relayed, KefuError? Error)> HandleAsync(CallParty party, Guid callId, string? kind, string? payload)
    {
        if (!CallSignalKinds.IsKnown(kind) || string.IsNullOrEmpty(payload))
        {
            return (false, KefuError.InvalidRequest);
        }

        var (call, error) = await lifecycle.FindAsync(party, callId);
        if (call is null)
        {
            return (false, error);
        }

        var options = lifecycle.Options;
        if (Encoding.UTF8.GetByteCount(payload) > options.MaxSignalBytes)
        {
            return (false, CallErrors.SignalTooLarge);
        }

        if (call.State != CallState.Active)
        {
            return (false, CallErrors.InvalidState);
        }

        if (kind == CallSignalKinds.Ice && !call.TakeIce(party.Side, lifecycle.Now, options.IceCandidatesPerSecond))
        {
            return (false, null);
        }

        var to = party.Side == CallSide.Agent ? CallSide.Visitor : CallSide.Agent;
        await lifecycle.RelayAsync(call, to, new CallSignalEvent(call.Id, kind!, payload));
        return (true, null);
    }
}
