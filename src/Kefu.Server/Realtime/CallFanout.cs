using Kefu.Server.Features.Calls.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>
/// The realtime lane of calls: state to both sides, signals to the other side only (the visitor's group, or the one
/// agent in the call). Best effort like the other fan-outs: a lost push shows as a call that does not connect, which
/// the clients end after their own timeout.
/// </summary>
internal sealed partial class CallFanout(
    IHubContext<VisitorHub, IVisitorClient> visitors, IHubContext<AgentHub, IAgentClient> agents, ILogger<CallFanout> logger) : ICallFanout
{
    public async Task CallUpdatedAsync(Guid contactId, Guid agentId, CallDto call)
    {
        await Safe(() => visitors.Clients.Group(RealtimeGroups.Visitor(contactId)).CallUpdated(call));
        await Safe(() => agents.Clients.Group(RealtimeGroups.Agent(agentId)).CallUpdated(call));
    }

    public Task SignalAsync(CallSide to, Guid contactId, Guid agentId, CallSignalEvent signal) => to == CallSide.Visitor
        ? Safe(() => visitors.Clients.Group(RealtimeGroups.Visitor(contactId)).CallSignal(signal))
        : Safe(() => agents.Clients.Group(RealtimeGroups.Agent(agentId)).CallSignal(signal));

    private async Task Safe(Func<Task> push)
    {
        try
        {
            await push();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A call push failed")]
    private static partial void LogPushFailed(ILogger logger, Exception ex);
}
