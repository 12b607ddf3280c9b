using System.Threading.Channels;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>The realtime lane: best-effort pushes after commit. Clients that miss one resync by Seq.</summary>
internal interface IMessageFanout
{
    void Publish(IEnumerable<MessageWritten> written);

    void ConversationChanged(Guid tenantId, ConversationDto conversation);

    void Typing(Guid tenantId, Guid contactId, TypingEvent typing);
}

/// <summary>
/// Pushes to both hubs and to console circuits from one loop, so events leave in commit order and
/// a slow push never holds the writer.
/// </summary>
internal sealed partial class RealtimeFanout(
    IHubContext<VisitorHub, IVisitorClient> visitors,
    IHubContext<AgentHub, IAgentClient> agents,
    ConsoleNotifier console,
    ILogger<RealtimeFanout> logger) : BackgroundService, IMessageFanout
{
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });

    public void Publish(IEnumerable<MessageWritten> written)
    {
        foreach (var w in written)
        {
            _queue.Writer.TryWrite(() => PushMessage(w));
        }
    }

    public void ConversationChanged(Guid tenantId, ConversationDto conversation) =>
        _queue.Writer.TryWrite(async () =>
        {
            console.Publish(new ConsoleEvent.ConversationChanged(tenantId, conversation));
            await agents.Clients.Group(RealtimeGroups.Tenant(tenantId)).ConversationChanged(conversation);
            await visitors.Clients.Group(RealtimeGroups.Visitor(conversation.ContactId))
                .ConversationUpdated(new ConversationStatusEvent(conversation.Id, conversation.Status, conversation.LastSeq));
        });

    public void Typing(Guid tenantId, Guid contactId, TypingEvent typing) =>
        _queue.Writer.TryWrite(async () =>
        {
            if (typing.Sender == SenderType.Visitor)
            {
                console.Publish(new ConsoleEvent.Typing(tenantId, typing));
                await agents.Clients.Group(RealtimeGroups.Tenant(tenantId)).Typing(typing);
            }
            else
            {
                await visitors.Clients.Group(RealtimeGroups.Visitor(contactId)).Typing(typing);
            }
        });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var push in _queue.Reader.ReadAllAsync(stoppingToken))
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
    }

    private async Task PushMessage(MessageWritten w)
    {
        var tenantId = w.TenantId;
        console.Publish(new ConsoleEvent.MessageCreated(tenantId, w.Message, w.Conversation));
        var tenantGroup = agents.Clients.Group(RealtimeGroups.Tenant(tenantId));
        await tenantGroup.MessageCreated(w.Message);
        await tenantGroup.ConversationChanged(w.Conversation);

        var visitor = visitors.Clients.Group(RealtimeGroups.Visitor(w.Conversation.ContactId));
        if (w.ConversationEvents.Count > 0)
        {
            await visitor.ConversationUpdated(new ConversationStatusEvent(w.Conversation.Id, w.Conversation.Status, w.Conversation.LastSeq));
        }

        await visitor.MessageCreated(w.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A realtime push failed; clients will resync by Seq")]
    private static partial void LogPushFailed(ILogger logger, Exception ex);
}
