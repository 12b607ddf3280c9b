using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>A customer's message as a channel adapter received it (an e-mail, a WeChat message, an API call).</summary>
/// <param name="TenantId">The workspace.</param>
/// <param name="InboxId">The inbox it arrived in.</param>
/// <param name="ContactId">The customer, resolved from the channel identity (<c>IContactIdentities</c>).</param>
/// <param name="ClientMessageId">
/// The channel's own id of the message, made into a client id (letters, digits, <c>-_.:</c>, up to the usual length):
/// receiving the same message twice stores it once.
/// </param>
/// <param name="Text">The text, up to the usual length; may be empty when an attachment is sent.</param>
/// <param name="AttachmentId">A file the adapter stored before, if any.</param>
public sealed record InboundMessage(Guid TenantId, Guid InboxId, Guid ContactId, string ClientMessageId, string? Text, Guid? AttachmentId = null);

/// <summary>
/// How every channel's inbound adapter hands a customer's message to conversations: the same path as a widget
/// visitor's message (current conversation of the contact in the inbox, created or reopened as needed; acknowledged
/// after commit; idempotent by client id).
/// </summary>
public interface IInboundMessages
{
    /// <summary>Stores the message; returns its ack, or the reason it was refused (nothing stored).</summary>
    Task<(SendMessageResult? Result, KefuError? Error)> ReceiveAsync(InboundMessage message, CancellationToken cancellationToken);
}
