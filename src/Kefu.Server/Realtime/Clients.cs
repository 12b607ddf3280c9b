using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;

namespace Kefu.Server.Realtime;

/// <summary>Events the server pushes to a visitor's connections (<c>/hubs/visitor</c>).</summary>
public partial interface IVisitorClient
{
    /// <summary>A message was committed in one of the visitor's conversations (their own included, for other tabs).</summary>
    Task MessageCreated(MessageDto message);

    /// <summary>An agent started or stopped typing.</summary>
    Task Typing(TypingEvent typing);

    /// <summary>A conversation of the visitor changed state (resolved, reopened, created).</summary>
    Task ConversationUpdated(ConversationStatusEvent update);

    /// <summary>The visitor's place in line or estimated wait changed, or they left the line.</summary>
    Task QueueUpdated(QueueStatusEvent status);
}

/// <summary>
/// Events the server pushes to agents' connections (<c>/hubs/agent</c>). Messages of an assigned
/// conversation go to its assignee only; unassigned ones, and every state change, to all agents of
/// the workspace. So the cost of a message does not grow with the number of agents online.
/// </summary>
public partial interface IAgentClient
{
    /// <summary>A message was committed in a conversation of the agent's workspace.</summary>
    Task MessageCreated(MessageDto message);

    /// <summary>A conversation was created or changed (status, unread count, assignee, last message).</summary>
    Task ConversationChanged(ConversationDto conversation);

    /// <summary>A visitor or another agent started or stopped typing.</summary>
    Task Typing(TypingEvent typing);

    /// <summary>Routing offers this agent a conversation: accept (<c>AcceptOffer</c>) before it expires.</summary>
    Task ConversationOffered(OfferEvent offer);

    /// <summary>An offer to this agent ended without them (expired, declined, or someone took it).</summary>
    Task OfferWithdrawn(Guid conversationId);

    /// <summary>A conversation was deleted (retention or an erasure request): drop it from every list and view.</summary>
    Task ConversationDeleted(Guid conversationId);
}

/// <summary>Group names, made in one place.</summary>
internal static class RealtimeGroups
{
    public static string Visitor(Guid contactId) => "v:" + contactId.ToString("N");

    /// <summary>Every agent connection of a workspace: unassigned conversations and state changes.</summary>
    public static string Tenant(Guid tenantId) => "t:" + tenantId.ToString("N");

    /// <summary>One agent's connections: the conversations assigned to them.</summary>
    public static string Agent(Guid userId) => "a:" + userId.ToString("N");
}
