using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Who owns a conversation. These facts never change, so they are cached for the hot path.</summary>
/// <param name="Id">The conversation.</param>
/// <param name="TenantId">Its workspace.</param>
/// <param name="InboxId">Its inbox.</param>
/// <param name="ContactId">Its customer.</param>
public sealed record ConversationOwner(Guid Id, Guid TenantId, Guid InboxId, Guid ContactId);

/// <summary>Conversation lookups other capabilities may use.</summary>
internal interface IConversationDirectory
{
    /// <summary>The owner of a conversation of any workspace (callers check the workspace), or null.</summary>
    Task<ConversationOwner?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// The one answer to "may this visitor touch this conversation": the owner when the conversation is the
    /// visitor's own, in the workspace and inbox they came through; null otherwise (answered as not found).
    /// </summary>
    Task<ConversationOwner?> FindForVisitorAsync(VisitorIdentity visitor, Guid id, CancellationToken cancellationToken);
}

/// <summary>Reads conversations as the console and the API show them.</summary>
internal interface IConversationReader
{
    /// <summary>One conversation of the workspace, or null.</summary>
    Task<ConversationDto?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken);

    /// <summary>Conversations of the workspace (of one contact when <paramref name="contactId"/> is set), newest activity first.</summary>
    Task<IReadOnlyList<ConversationDto>> ListAsync(Guid tenantId, ConversationFilter filter, int limit, Guid? contactId, CancellationToken cancellationToken);
}

/// <summary>
/// The durable message path for writers other than the hubs (the bot's replies, a pressed button): committed in
/// a group commit, acknowledged after commit, idempotent by client id, fanned out like any message.
/// </summary>
internal interface IMessageWriter
{
    /// <summary>Stores one message; the result is the ack, or the error that stored nothing.</summary>
    Task<(MessageWritten? Written, KefuError? Error)> WriteAsync(MessageWrite write, CancellationToken cancellationToken = default);
}

/// <summary>
/// Whether an agent may see or act on a conversation (their role's scope, their inboxes, the assignee). Every
/// capability that reads or changes one conversation for an agent asks here, so the answers cannot disagree.
/// </summary>
internal interface IConversationAccess
{
    /// <summary>Null when the agent may see it; otherwise not found (another workspace, out of their scope, or none).</summary>
    Task<KefuError?> CheckReadAsync(Features.Accounts.Contracts.AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken);

    /// <summary>Null when the agent may act in it; otherwise not found, or forbidden when it is a colleague's.</summary>
    Task<KefuError?> CheckAsync(Features.Accounts.Contracts.AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// The conversations the agent may see, as a query on <paramref name="db"/> to compose (their workspace, scope and
    /// inboxes: the same rule as the conversation list); null when they see none. For features that search or list
    /// across conversations (search) without re-implementing the scope.
    /// </summary>
    Task<IQueryable<Conversation>?> VisibleAsync(Persistence.KefuDbContext db, Features.Accounts.Contracts.AgentIdentity agent, CancellationToken cancellationToken);
}
