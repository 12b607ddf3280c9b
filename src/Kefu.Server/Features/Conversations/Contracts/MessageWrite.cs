using Kefu.Server.Features.Accounts.Contracts;
namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>
/// One message to store. A visitor's message goes to the visitor's current conversation in the
/// inbox (created, or reopened when resolved); an agent's or bot's names its conversation.
/// <see cref="Originals"/> are set by the writer when it masks <see cref="Text"/>: the encrypted
/// values the text no longer holds, stored beside the message.
/// </summary>
internal sealed record MessageWrite(
    Guid TenantId,
    Guid InboxId,
    Guid ContactId,
    Guid? ConversationId,
    string ClientMessageId,
    SenderType Sender,
    Guid? SenderId,
    string? SenderName,
    string Text,
    Guid? AttachmentId,
    IReadOnlyList<MessageAction>? Actions = null,
    string? OriginConnectionId = null,
    IReadOnlyList<ProtectedValue>? Originals = null);

/// <summary>What the writer committed for one <see cref="MessageWrite"/>.</summary>
internal sealed record MessageWritten(
    Guid TenantId,
    MessageDto Message,
    ConversationDto Conversation,
    bool Duplicate,
    IReadOnlyList<string> ConversationEvents,
    string? OriginConnectionId = null)
{
    public SendMessageResult ToResult() =>
        new(Message.Id, Message.ConversationId, Message.Seq, Duplicate, Message);
}
