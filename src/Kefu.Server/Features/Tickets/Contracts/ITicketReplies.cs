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
    /// <param name="attachmentIds">Files the channel stored with the message (<c>IReceivedFiles</c>), at most <see cref="TicketLimits.MaxAttachments"/>.</param>
    /// <returns>The ticket the message went to (the follow-up for a closed one), or the error that stored nothing.</returns>
    Task<(Guid? TicketId, KefuError? Error)> AddCustomerReplyAsync(Guid tenantId, Guid ticketId, Guid contactId, string text, string externalId, CancellationToken cancellationToken,
        IReadOnlyList<Guid>? attachmentIds = null);

    /// <summary>
    /// Opens a ticket for a customer's first message on a channel (a new e-mail). Numbered, SLA applied, source
    /// <see cref="TicketSource.Email"/> unless given. Idempotent by <paramref name="externalId"/>.
    /// </summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="contactId">The customer.</param>
    /// <param name="subject">The subject line (cut to one line of 200 characters).</param>
    /// <param name="text">The message text.</param>
    /// <param name="externalId">The channel's id of the message.</param>
    /// <param name="inboxId">The channel's inbox; it limits who sees the ticket (agents limited to inboxes).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="attachmentIds">Files the channel stored with the message, at most <see cref="TicketLimits.MaxAttachments"/>.</param>
    Task<(Guid? TicketId, KefuError? Error)> OpenAsync(Guid tenantId, Guid contactId, string subject, string text, string externalId, Guid? inboxId, CancellationToken cancellationToken,
        IReadOnlyList<Guid>? attachmentIds = null);

    /// <summary>
    /// The requester of a ticket of <paramref name="inboxId"/> in the workspace, for a channel that must check that a
    /// message naming the ticket comes from its customer; null when there is no such ticket (or it has no requester).
    /// </summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="ticketId">The ticket the message names.</param>
    /// <param name="inboxId">The channel's inbox: a ticket of another inbox is not found.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<Guid?> RequesterAsync(Guid tenantId, Guid ticketId, Guid inboxId, CancellationToken cancellationToken);

    /// <summary>The text of a public reply of the ticket (or of a ticket merged into it), for the channel delivering it; null when gone.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="entryId">The thread line (<see cref="TicketOutboundReply.EntryId"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<string?> ReplyTextAsync(Guid tenantId, Guid entryId, CancellationToken cancellationToken);
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

    /// <summary>
    /// Before the reply is stored: the reason this channel could not deliver it (an e-mail ticket whose customer has no
    /// address to write to), or null. A refusal refuses the reply, with nothing stored. Other channels' tickets: null.
    /// </summary>
    /// <param name="reply">What would be sent.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<KefuError?> CheckAsync(TicketOutboundReply reply, CancellationToken cancellationToken) => Task.FromResult<KefuError?>(null);
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
/// <param name="InboxId">The ticket's inbox: the channel whose inbox it is delivers it.</param>
public sealed record TicketOutboundReply(Guid TenantId, Guid TicketId, long Number, string Subject, Guid? RequesterId, Guid EntryId, string AgentName, string Text,
    Guid? InboxId = null);

/// <summary>Limits a channel must respect when it hands text to tickets.</summary>
public static class TicketLimits
{
    /// <summary>The longest line of a ticket's thread, in characters.</summary>
    public const int MaxTextLength = 20_000;

    /// <summary>The most files one line of a ticket's thread carries.</summary>
    public const int MaxAttachments = 20;
}
