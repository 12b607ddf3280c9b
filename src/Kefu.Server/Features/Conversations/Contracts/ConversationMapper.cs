
namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Builds the contract DTOs from entities, in one place so every surface shows the same thing.</summary>
internal sealed class ConversationMapper(AttachmentUrls urls)
{
    public MessageDto ToDto(Message message, Attachment? attachment) => new(
        message.Id,
        message.ConversationId,
        message.Seq,
        message.ClientMessageId,
        message.SenderType,
        message.SenderName,
        message.Text,
        attachment is null ? null : ToDto(attachment),
        message.CreatedAt,
        MessageActions.Read(message.Actions),
        message.MaskedValues);

    public AttachmentDto ToDto(Attachment attachment) => new(
        attachment.Id,
        attachment.FileName,
        attachment.ContentType,
        attachment.Size,
        urls.UrlFor(attachment),
        AttachmentRules.IsInlineImage(attachment.ContentType),
        attachment.DurationMs,
        attachment.TranscriptState,
        attachment.TranscriptState == TranscriptStates.Done ? attachment.Transcript : null);

    public static ConversationDto ToDto(Conversation c, string contactName) => new(
        c.Id, c.InboxId, c.ContactId, contactName, c.Status, c.Handler, c.AssigneeId, c.Priority,
        c.LastSeq, c.UnreadCount, c.LastMessagePreview, c.LastMessageAt, c.CreatedAt, c.WaitingSince, c.TeamId);
}
