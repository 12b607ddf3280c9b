using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Bench.Infrastructure;

// The plain relay's hubs and state (PlainRelayServer hosts them): in memory, not durable, no Kefu code.

/// <summary>
/// A message as the relay pushes and acks it: the fields of Kefu's <c>MessageDto</c>, so the frames are the size of
/// Kefu's (the attachment and the actions are always null, as in Kefu for a plain text message, and so is a
/// visitor's sender name).
/// </summary>
public sealed record RelayMessage(
    Guid Id, Guid ConversationId, long Seq, string ClientMessageId, string Sender, string? SenderName, string Text,
    object? Attachment, DateTime CreatedAt, object? Actions = null, int MaskedValues = 0);

/// <summary>The ack, shaped like Kefu's <c>SendMessageResult</c>.</summary>
public sealed record RelaySendResult(Guid MessageId, Guid ConversationId, long Seq, bool Duplicate, RelayMessage Message);

/// <summary>What the relay pushes: the one event the rig listens to.</summary>
public interface IRelayClient
{
    Task MessageCreated(RelayMessage message);
}

/// <summary>One conversation in memory: its visitor's connection, the agent connection that claimed it, its last Seq.</summary>
internal sealed class RelayConversation(Guid id, string visitorConnectionId)
{
    private long _seq;
    private string? _agentConnectionId;

    public Guid Id => id;
    public string VisitorConnectionId => visitorConnectionId;
    public string? AgentConnectionId => Volatile.Read(ref _agentConnectionId);

    /// <summary>True when <paramref name="connectionId"/> holds the conversation, now or from this call on.</summary>
    public bool Claim(string connectionId) =>
        (Interlocked.CompareExchange(ref _agentConnectionId, connectionId, null) ?? connectionId) == connectionId;

    public RelayMessage Append(string clientMessageId, string sender, string? senderName, string text, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), id, Interlocked.Increment(ref _seq), clientMessageId, sender, senderName, text, null, now.UtcDateTime);
}

/// <summary>Every conversation of the run; nothing is ever removed (a bench run is short).</summary>
internal sealed class RelayConversations
{
    public static readonly KefuError NotFound = new("conversation_not_found", "No such conversation.");
    public static readonly KefuError Invalid = new("invalid_request", "The request is missing or malformed.");
    public static readonly KefuError Taken = new("conversation_assigned", "Another agent holds this conversation.");

    private readonly ConcurrentDictionary<Guid, RelayConversation> _all = new();

    public RelayConversation Open(string visitorConnectionId)
    {
        var conversation = new RelayConversation(Guid.CreateVersion7(), visitorConnectionId);
        _all[conversation.Id] = conversation;
        return conversation;
    }

    public RelayConversation? Find(Guid id) => _all.GetValueOrDefault(id);
}

/// <summary><c>/hubs/visitor</c> of the plain relay: a visitor reaches only the conversations it opened.</summary>
internal sealed class PlainVisitorHub(
    RelayConversations conversations, IHubContext<PlainAgentHub, IRelayClient> agents, TimeProvider time, RelaySettings settings)
    : Hub<IRelayClient>
{
    public override async Task OnConnectedAsync()
    {
        if (settings.JoinOwnGroup)
        {
            // What Kefu's visitor hub keeps per connection beyond SignalR's own: a group named after the visitor.
            await Groups.AddToGroupAsync(Context.ConnectionId, "visitor:" + Context.ConnectionId);
        }

        await base.OnConnectedAsync();
    }

    public async Task<HubResult<RelaySendResult>> SendMessage(VisitorSend? request)
    {
        if (request is not { ClientMessageId.Length: > 0, Text.Length: > 0 })
        {
            return new(false, null, RelayConversations.Invalid);
        }

        var conversation = request.ConversationId is { } id ? conversations.Find(id) : conversations.Open(Context.ConnectionId);
        if (conversation is null || conversation.VisitorConnectionId != Context.ConnectionId)
        {
            return new(false, null, RelayConversations.NotFound);
        }

        var message = conversation.Append(request.ClientMessageId, "visitor", null, request.Text, time.GetUtcNow());
        if (conversation.AgentConnectionId is { } agent)
        {
            await agents.Clients.Client(agent).MessageCreated(message);
        }

        return new(true, new RelaySendResult(message.Id, conversation.Id, message.Seq, false, message), null);
    }
}

/// <summary><c>/hubs/agent</c> of the plain relay: the first agent to answer a conversation claims it.</summary>
internal sealed class PlainAgentHub(RelayConversations conversations, IHubContext<PlainVisitorHub, IRelayClient> visitors, TimeProvider time)
    : Hub<IRelayClient>
{
    public async Task<HubResult<RelaySendResult>> SendMessage(Guid conversationId, AgentSend? request)
    {
        if (request is not { ClientMessageId.Length: > 0, Text.Length: > 0 })
        {
            return new(false, null, RelayConversations.Invalid);
        }

        if (conversations.Find(conversationId) is not { } conversation)
        {
            return new(false, null, RelayConversations.NotFound);
        }

        if (!conversation.Claim(Context.ConnectionId))
        {
            return new(false, null, RelayConversations.Taken);
        }

        var message = conversation.Append(request.ClientMessageId, "agent", "Agent", request.Text, time.GetUtcNow());
        await visitors.Clients.Client(conversation.VisitorConnectionId).MessageCreated(message);
        return new(true, new RelaySendResult(message.Id, conversation.Id, message.Seq, false, message), null);
    }
}
