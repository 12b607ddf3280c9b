using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Calls;
using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>
/// Tells <see cref="CallPresence"/> when a visitor's or an agent's hub connection opens and closes, so the server can
/// end the calls of a side that is gone (ADR 0040). A hub filter rather than code in the hubs' connect handlers: it
/// sees every connection of both hubs, including one the agent hub aborts.
/// </summary>
internal sealed class CallConnectionFilter(CallPresence presence) : IHubFilter
{
    private static readonly object Key = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        if (PartyOf(context) is { } party)
        {
            context.Context.Items[Key] = party;
            presence.Connected(party);
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.TryGetValue(Key, out var value) && value is CallParty party)
        {
            presence.Disconnected(party);
        }

        await next(context, exception);
    }

    private static CallParty? PartyOf(HubLifetimeContext context) => (context.Hub, context.Context.User) switch
    {
        (AgentHub, { } user) when AgentIdentity.From(user) is { } agent => new CallParty(CallSide.Agent, agent.TenantId, agent.UserId),
        (VisitorHub, { } user) when VisitorIdentity.From(user) is { } visitor => new CallParty(CallSide.Visitor, visitor.TenantId, visitor.ContactId),
        _ => null,
    };
}
