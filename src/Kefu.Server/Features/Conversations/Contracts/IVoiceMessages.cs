namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>A visitor's voice message: an audio attachment with a recorded length, and where it stands.</summary>
/// <param name="TenantId">Workspace.</param>
/// <param name="ConversationId">Conversation of the message.</param>
/// <param name="ContactId">The visitor who recorded it.</param>
/// <param name="MessageId">The message that carries it.</param>
/// <param name="AttachmentId">The audio file.</param>
/// <param name="ContentType">audio/webm or audio/ogg.</param>
/// <param name="FileName">Stored name (display only).</param>
/// <param name="TranscriptState">Null before the voice lane saw it, then a <see cref="TranscriptStates"/> value.</param>
public sealed record VoiceMessage(
    Guid TenantId, Guid ConversationId, Guid ContactId, Guid MessageId, Guid AttachmentId, string ContentType, string FileName, string? TranscriptState);

/// <summary>Voice messages as the voice capability needs them (ADR 0039): found, queued, read and transcribed.</summary>
internal interface IVoiceMessages
{
    /// <summary>The visitor voice messages among <paramref name="messageIds"/>, with their state.</summary>
    Task<IReadOnlyList<VoiceMessage>> FindAsync(IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken);

    /// <summary>Voice messages waiting for the speech endpoint, oldest first.</summary>
    Task<IReadOnlyList<VoiceMessage>> PendingAsync(int take, CancellationToken cancellationToken);

    /// <summary>Moves a voice message from <paramref name="from"/> to <paramref name="to"/>; false when it was no longer in <paramref name="from"/>.</summary>
    Task<bool> MoveAsync(Guid attachmentId, string? from, string to, string? transcript, CancellationToken cancellationToken);

    /// <summary>The audio bytes, or null when the file is gone.</summary>
    Stream? OpenRead(VoiceMessage voice);

    /// <summary>The attachment as clients see it (with a fresh signed link), for the live push.</summary>
    Task<AttachmentDto?> DtoAsync(Guid attachmentId, CancellationToken cancellationToken);
}
