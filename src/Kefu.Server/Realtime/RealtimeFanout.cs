using System.Threading.Channels;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>The realtime lane: best-effort pushes after commit. Clients that miss one resync by Seq.</summary>
internal interface IMessageFanout
{
    void Publish(IEnumerable<MessageWritten> written);

    void ConversationChanged(Guid tenantId, ConversationDto conversation);

    void Typing(Guid tenantId, Guid contactId, TypingEvent typing);

    /// <summary>A conversation was deleted: consoles and agent apps drop it.</summary>
    void ConversationDeleted(Guid tenantId, Guid conversationId);

    /// <summary>An agent's bell lines changed (a new one, or some read): their consoles, on every device, reload them.</summary>
    void NotificationsChanged(Guid tenantId, Guid agentId);

    /// <summary>A private note was added: consoles only (agents' notes never go to a hub group a visitor is in).</summary>
    void NotesChanged(Guid tenantId, Guid conversationId);
}

/// <summary>
/// Pushes to both hubs and to console circuits from one loop, so events leave in commit order and
/// a slow push never holds the writer.
/// </summary>
internal sealed partial class RealtimeFanout(
    IHubContext<VisitorHub, IVisitorClient> visitors,
    IHubContext<AgentHub, IAgentClient> agents,
    ConsoleNotifier console,
    IAccessControl access,
    TimeProvider clock,
    ILogger<RealtimeFanout> logger) : BackgroundService, IMessageFanout
{
    private readonly LogThrottle _failures = new(clock, TimeSpan.FromSeconds(10));

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
            if (await RestrictedViewersAsync(tenantId, conversation, except: null) is { } restricted)
            {
                await restricted.ConversationChanged(conversation);
            }

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

    public void NotificationsChanged(Guid tenantId, Guid agentId) =>
        _queue.Writer.TryWrite(() =>
        {
            console.Publish(new ConsoleEvent.NotificationsChanged(tenantId, agentId));
            return Task.CompletedTask;
        });

    public void NotesChanged(Guid tenantId, Guid conversationId) =>
        _queue.Writer.TryWrite(() =>
        {
            console.Publish(new ConsoleEvent.NotesChanged(tenantId, conversationId));
            return Task.CompletedTask;
        });

    public void ConversationDeleted(Guid tenantId, Guid conversationId) =>
        _queue.Writer.TryWrite(async () =>
        {
            console.Publish(new ConsoleEvent.ConversationDeleted(tenantId, conversationId));
            await agents.Clients.Group(RealtimeGroups.Tenant(tenantId)).ConversationDeleted(conversationId);

            // The conversation is gone, so who could see it is unknown: tell every restricted agent (an id they may
            // never have seen tells them nothing).
            var workspace = await access.GetWorkspaceAsync(tenantId);
            if (workspace.HasRestrictedAgents)
            {
                await agents.Clients.Groups([.. workspace.Agents.Where(a => !a.SeesEverything).Select(a => RealtimeGroups.Agent(a.UserId))])
                    .ConversationDeleted(conversationId);
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
                if (_failures.ShouldLog(out var held))
                {
                    LogPushFailed(logger, ex, held);
                }
            }
        }
    }

    private async Task PushMessage(MessageWritten w)
    {
        var conversation = w.Conversation;
        console.Publish(new ConsoleEvent.MessageCreated(w.TenantId, w.Message, conversation));
        var owner = Owner(w.TenantId, conversation);
        await owner.MessageCreated(w.Message);
        var restricted = await RestrictedViewersAsync(w.TenantId, conversation, except: conversation.AssigneeId);
        if (restricted is not null)
        {
            await restricted.MessageCreated(w.Message);
        }

        if (w.ConversationEvents.Count > 0)
        {
            // A message implies the new last message, Seq and unread count; only a state change
            // (created, assigned, reopened) sends the conversation itself, to everyone who lists it.
            await owner.ConversationChanged(conversation);
            if (conversation.AssigneeId is not null)
            {
                await agents.Clients.Group(RealtimeGroups.Tenant(w.TenantId)).ConversationChanged(conversation);
            }

            if (restricted is not null)
            {
                await restricted.ConversationChanged(conversation);
            }
        }

        var group = RealtimeGroups.Visitor(conversation.ContactId);
        var visitor = visitors.Clients.Group(group);
        if (w.ConversationEvents.Count > 0)
        {
            await visitor.ConversationUpdated(new ConversationStatusEvent(conversation.Id, conversation.Status, conversation.LastSeq));
        }

        // The sending connection has the message in its ack; its other tabs get it here.
        await (w.OriginConnectionId is { } origin ? visitors.Clients.GroupExcept(group, [origin]) : visitor).MessageCreated(w.Message);
    }

    /// <summary>
    /// The personal groups of agents who do not see the whole workspace but may see this conversation (their
    /// inboxes and scope); null when there are none, which is the common case and costs one dictionary read.
    /// </summary>
    private async Task<IAgentClient?> RestrictedViewersAsync(Guid tenantId, ConversationDto conversation, Guid? except)
    {
        var workspace = await access.GetWorkspaceAsync(tenantId);
        if (!workspace.HasRestrictedAgents)
        {
            return null;
        }

        List<string>? groups = null;
        foreach (var agent in workspace.Agents)
        {
            if (!agent.SeesEverything && agent.UserId != except && agent.CanSee(conversation.InboxId, conversation.AssigneeId, workspace))
            {
                (groups ??= []).Add(RealtimeGroups.Agent(agent.UserId));
            }
        }

        return groups is null ? null : agents.Clients.Groups(groups);
    }

    private IAgentClient Owner(Guid tenantId, ConversationDto conversation) =>
        conversation.AssigneeId is { } assignee
            ? agents.Clients.Group(RealtimeGroups.Agent(assignee))
            : agents.Clients.Group(RealtimeGroups.Tenant(tenantId));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A realtime push failed; clients will resync by Seq ({Held} more failures since the last report)")]
    private static partial void LogPushFailed(ILogger logger, Exception ex, int held);
}
