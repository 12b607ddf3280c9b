namespace Kefu.Server.Features.Agents.Contracts;

/// <summary>
/// Whether a person can take a conversation now: business hours of the inbox, agents' presence and
/// connections (implemented by routing).
/// </summary>
public interface IAgentAvailability
{
    /// <summary>True when at least one agent of the workspace could answer a conversation of the inbox now.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="inboxId">The inbox the conversation arrived in.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<bool> AnyAgentAvailableAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken);

    /// <summary>When the inbox opens next ("we are back at …"); null while it is open or when it has no hours.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="inboxId">The inbox.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<DateTimeOffset?> BackAtAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken);

    /// <summary>
    /// What the visitor is told and what becomes of a conversation when the inbox is outside its business hours (time
    /// zone, holidays); null while it is open. The bot, the router and the queue all ask this one question.
    /// </summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="inboxId">The inbox.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<InboxClosed?> ClosedAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken);
}

/// <summary>An inbox outside its business hours.</summary>
/// <param name="BackAt">When it opens next; null when not within two weeks.</param>
/// <param name="MessageEn">The inbox's own words for visitors in English; empty for the built-in text.</param>
/// <param name="MessageZh">The same in Simplified Chinese.</param>
/// <param name="LeaveMessage">The conversation becomes a message to answer later (true), or waits in line until the inbox opens (false).</param>
public sealed record InboxClosed(DateTimeOffset? BackAt, string MessageEn, string MessageZh, bool LeaveMessage);
