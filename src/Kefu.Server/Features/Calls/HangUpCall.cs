using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// Either side ends the call: <c>hung_up</c>, or <c>failed</c> when the client gave up on a connection that ICE restarts
/// could not bring back.
/// </summary>
internal sealed class HangUpCall(CallLifecycle lifecycle)
{
    public async Task<(CallDto? Call, KefuError? Error)> HandleAsync(CallParty party, Guid callId, bool failed)
    {
        var (call, error) = await lifecycle.FindAsync(party, callId);
        if (call is null)
        {
            return (null, error);
        }

        return await lifecycle.EndAsync(call, party, failed ? CallEndReasons.Failed : CallEndReasons.HungUp)
            ? (call.ToDto(), null)
            : (null, CallErrors.CallEnded);
    }
}
