namespace Kefu.Server.Features.Calls.Contracts;

/// <summary>Pushes call state and signals to one side of a call; implemented by the realtime lane (best effort).</summary>
internal interface ICallFanout
{
    /// <summary>Tells both sides (the visitor's connections, the agent's connections) the call's new state.</summary>
    Task CallUpdatedAsync(Guid contactId, Guid agentId, CallDto call);

    /// <summary>Relays a signal to the other side only.</summary>
    Task SignalAsync(CallSide to, Guid contactId, Guid agentId, CallSignalEvent signal);
}
