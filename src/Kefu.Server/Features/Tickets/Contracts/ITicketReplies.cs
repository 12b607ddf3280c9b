using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>
/// The seam between tickets and channels that carry them outside the widget (e-mail). A channel posts what a customer
/// sent with <see cref="AddCustomerReplyAsync"/>; it learns about agents' public replies by registering an
/// <see cref="ITicketReplySender"/>. Implemented by Tickets.
/// </summary>
internal interface ITicketReplies
{
    /// <summary>
    /// Adds the customer's message to the ticket's thread, as the channel received it (plain text, already sanitised
    /// by the channel). A pending or solved ticket opens again and the next-reply SLA starts; a merged ticket passes the
    /// message to the one it was merged into; a closed ticket is left as it is and a follow-up ticket linked to it is
    /// created for the message (its id is returned). Idempotent by <paramref name="externalId"/> (a channel's message id):
    /// a second call with the same id changes nothing and returns the same ticket.
    /// </summary>
    /// <param name="tenantId">The workspace; a ticket of another workspace is <c>ticket_not_found</c>.</param>
    /// <param name="ticketId">The ticket the channel matched the message to (for e-mail: by a verified reply token).</param>
    /// <param name="contactId">The sender, resolved by the channel through the contact identities.</param>
    /// <param name="text">The message text.</param>
    /// <param name="externalId">The channel's id of the message, at most 200 characters.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ticket the message went to (the follow-up for a closed one), or the error that stored nothing.</returns>
    Task<(Guid? TicketId, KefuError? Error)> AddCustomerReplyAsync(Guid tenantId, Guid ticketId, Guid contactId, string text, string externalId, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a ticket for a customer's first message on a channel (a new e-mail). Numbered, SLA applied, source
    /// <see cref="TicketSource.Email"/> unless given. Idempotent by <paramref name="externalId"/>.
    /// </summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="contactId">The customer.</param>
    /// <param name="subject">The subject line (cut to one line of 200 characters).</param>
    /// <param name="text">The message text.</param>
    /// <param name="externalId">The channel's id of the message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<(Guid? TicketId, KefuError? Error)> OpenAsync(Guid tenantId, Guid contactId, string subject, string text, string externalId, CancellationToken cancellationToken);
}

/// <summary>
/// Implemented by a channel that delivers agents' public replies of tickets with no conversation (e-mail). Called
/// after the reply is committed, once per registered sender; a failure is logged and the reply stays in the thread
/// (the sender keeps its own retries: it is told at least once, never inside the agent's request transaction).
/// </summary>
internal interface ITicketReplySender
{
    /// <summary>Delivers one public reply.</summary>
    /// <param name="reply">What to send.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    Task SendAsync(TicketOutboundReply reply, CancellationToken cancellationToken);
}

/// <summary>An agent's public reply to a ticket, for a channel to deliver.</summary>
/// <param name="TenantId">The workspace.</param>
/// <param name="TicketId">The ticket.</param>
/// <param name="Number">Its number (for a subject line such as <c>[#42]</c>).</param>
/// <param name="Subject">Its subject.</param>
/// <param name="RequesterId">The customer to send to.</param>
/// <param name="EntryId">The thread line, a stable id for threading and deduplication.</param>
/// <param name="AgentName">Who wrote it.</param>
/// <param name="Text">Plain text.</param>
public sealed record TicketOutboundReply(Guid TenantId, Guid TicketId, long Number, string Subject, Guid? RequesterId, Guid EntryId, string AgentName, string Text);
