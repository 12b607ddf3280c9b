using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Voice.Contracts;

/// <summary>A voice message's transcription ended (done, failed or unavailable): clients show the words under the message.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="MessageId">The voice message.</param>
/// <param name="Attachment">The audio attachment with its transcript state and text.</param>
public sealed record VoiceTranscribedEvent(Guid ConversationId, Guid MessageId, AttachmentDto Attachment);

/// <summary>The realtime lane of voice messages: to the visitor's connections and the workspace's consoles. Best effort: the next history load shows the same.</summary>
internal interface IVoiceFanout
{
    Task TranscribedAsync(Guid tenantId, Guid contactId, VoiceTranscribedEvent e);
}
