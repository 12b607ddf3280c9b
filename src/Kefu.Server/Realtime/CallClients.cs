using Kefu.Server.Features.Calls.Contracts;

namespace Kefu.Server.Realtime;

/// <summary>Call events a visitor's connections receive (issue 19).</summary>
public partial interface IVisitorClient
{
    /// <summary>A call in one of the visitor's conversations changed state (ringing, active, ended).</summary>
    Task CallUpdated(CallDto call);

    /// <summary>The agent's side of a call sent an SDP or an ICE candidate.</summary>
    Task CallSignal(CallSignalEvent signal);
}

/// <summary>Call events an agent's connections receive: only for calls the agent takes part in.</summary>
public partial interface IAgentClient
{
    /// <summary>A call of this agent changed state (a visitor's request ringing, accepted, ended).</summary>
    Task CallUpdated(CallDto call);

    /// <summary>The visitor's side of a call sent an SDP or an ICE candidate.</summary>
    Task CallSignal(CallSignalEvent signal);
}
