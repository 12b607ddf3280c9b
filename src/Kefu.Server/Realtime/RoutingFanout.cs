using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>
/// The realtime lane of routing: queue positions to visitors, offers to agents, "queues changed" to console
/// circuits. Separate from <see cref="RealtimeFanout"/> so the message hot path stays untouched; best effort
/// like it (clients ask <c>GetQueueStatus</c> after a reconnect).
/// </summary>
internal sealed partial class RoutingFanout(
    IHubContext<VisitorHub, IVisitorClient> visitors,
    IHubContext<AgentHub, IAgentClient> agents,
    ConsoleNotifier console,
    ILogger<RoutingFanout> logger)
{
    public Task QueueUpdatedAsync(Guid contactId, QueueStatusEvent status) =>
        Safe(() => visitors.Clients.Group(RealtimeGroups.Visitor(contactId)).QueueUpdated(status));

    public Task OfferedAsync(Guid tenantId, Guid agentId, OfferEvent offer)
    {
        console.Publish(new ConsoleEvent.Offer(tenantId, agentId, offer.Conversation.Id, offer));
        return Safe(() => agents.Clients.Group(RealtimeGroups.Agent(agentId)).ConversationOffered(offer));
    }

    public Task OfferWithdrawnAsync(Guid tenantId, Guid agentId, Guid conversationId)
    {
        console.Publish(new ConsoleEvent.Offer(tenantId, agentId, conversationId, null));
        return Safe(() => agents.Clients.Group(RealtimeGroups.Agent(agentId)).OfferWithdrawn(conversationId));
    }

    /// <summary>A person handed a conversation to <paramref name="agentId"/> (the note is in its timeline, not in the event).</summary>
    public void Transferred(Guid tenantId, Guid agentId, ConversationDto conversation, Guid fromAgentId) =>
        console.Publish(new ConsoleEvent.Transferred(tenantId, agentId, conversation, fromAgentId));

    public void QueueChanged(Guid tenantId) => console.Publish(new ConsoleEvent.QueueChanged(tenantId));

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A routing push failed; clients resync with GetQueueStatus")]
    private static partial void LogPushFailed(ILogger logger, Exception ex);
}
