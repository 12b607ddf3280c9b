namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>
/// Conversations whose visitor left a message instead of waiting (the offline form, "leave a message instead"): they
/// stay open and unassigned, out of the line, for an agent to answer later. Implemented by routing.
/// </summary>
public interface ILeftMessages
{
    /// <summary>
    /// Marks the visitor's conversation as a message to answer: out of the line (entered into it first when routing had
    /// not queued it yet), recorded as <c>conversation.left_message</c>. One already marked is left as it is. A
    /// conversation a person or the bot holds is not in the line and is not changed.
    /// </summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="contactId">The visitor who left the message.</param>
    /// <param name="conversationId">Their conversation.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>True when the conversation is (now or already) a left message.</returns>
    Task<bool> MarkAsync(Guid tenantId, Guid contactId, Guid conversationId, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="conversationIds"/> are left messages now (the console's "Offline message" chip).</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="conversationIds">The conversations to ask about (a page of a list).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlySet<Guid>> AmongAsync(Guid tenantId, IReadOnlyCollection<Guid> conversationIds, CancellationToken cancellationToken);
}
