namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>A stored message as every client sees it.</summary>
/// <param name="Id">Server id.</param>
/// <param name="ConversationId">Conversation it belongs to.</param>
/// <param name="Seq">Position in the conversation, 1, 2, 3 … without gaps.</param>
/// <param name="ClientMessageId">The id the sender chose, for matching a pending message to its ack.</param>
/// <param name="Sender">Who wrote it.</param>
/// <param name="SenderName">Display name of the sender.</param>
/// <param name="Text">Plain text; clients render it as text, never as HTML.</param>
/// <param name="Attachment">The attached file, if any.</param>
/// <param name="CreatedAt">Commit time, UTC.</param>
/// <param name="Actions">Buttons offered with a bot message (choices, "did this help?", talk to a person); null for most messages.</param>
/// <param name="MaskedValues">How many personal data values (identity, mobile, card numbers, e-mail addresses) the text holds masked; users allowed to may reveal them with <c>POST …/messages/{seq}/unmask</c>.</param>
public sealed record MessageDto(
    Guid Id,
    Guid ConversationId,
    long Seq,
    string ClientMessageId,
    SenderType Sender,
    string? SenderName,
    string Text,
    AttachmentDto? Attachment,
    DateTime CreatedAt,
    IReadOnlyList<MessageAction>? Actions = null,
    int MaskedValues = 0);

/// <summary>A button under a bot message. The visitor's click comes back through the visitor hub's <c>ChooseAction</c>.</summary>
/// <param name="Kind"><c>choice</c> (an article the visitor may mean), <c>feedback</c> ("did this help?" yes/no) or <c>handoff</c> (talk to a person).</param>
/// <param name="Id">Identifies the button within its message: <c>article:{id}</c>, <c>helpful:{id}</c>, <c>not_helpful:{id}</c> or <c>handoff</c>.</param>
/// <param name="Label">Text to show on the button (plain text).</param>
public sealed record MessageAction(string Kind, string Id, string Label)
{
    /// <summary>Kind of an article suggestion.</summary>
    public const string Choice = "choice";

    /// <summary>Kind of a "did this help?" answer.</summary>
    public const string Feedback = "feedback";

    /// <summary>Kind of a "talk to a person" button.</summary>
    public const string Handoff = "handoff";

    /// <summary>Kind of a satisfaction survey under a system message (Surveys): its id is the survey response's; the widget
    /// draws the survey and answers it over REST, never through <c>ChooseAction</c>.</summary>
    public const string Survey = "survey";
}

/// <summary>A file attached to a message.</summary>
/// <param name="Id">Attachment id.</param>
/// <param name="FileName">Original file name (display only).</param>
/// <param name="ContentType">Checked media type.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Url">Signed download address, valid for the reader it was given to.</param>
/// <param name="IsImage">True for raster images that may be shown inline.</param>
/// <param name="DurationMs">A voice message's length in milliseconds; null for other files.</param>
/// <param name="TranscriptState">A voice message's transcription: pending, done, failed or unavailable (<see cref="TranscriptStates"/>); null for other files.</param>
/// <param name="Transcript">The words of a voice message when <paramref name="TranscriptState"/> is done. Render as text.</param>
public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long Size, string Url, bool IsImage,
    int? DurationMs = null, string? TranscriptState = null, string? Transcript = null);

/// <summary>A conversation as it appears in lists.</summary>
/// <param name="Id">Conversation id.</param>
/// <param name="InboxId">Inbox it arrived in.</param>
/// <param name="ContactId">The customer.</param>
/// <param name="ContactName">The customer's display name.</param>
/// <param name="Status">open, pending, snoozed or resolved.</param>
/// <param name="Handler">bot, queue or agent.</param>
/// <param name="AssigneeId">Agent holding it, if any.</param>
/// <param name="Priority">Urgency.</param>
/// <param name="LastSeq">Seq of the newest message.</param>
/// <param name="UnreadCount">Visitor messages no agent has read yet.</param>
/// <param name="LastMessagePreview">Start of the newest message.</param>
/// <param name="LastMessageAt">Time of the newest message, UTC.</param>
/// <param name="CreatedAt">Creation time, UTC.</param>
/// <param name="WaitingSince">When the visitor last entered the line, UTC: waiting times count from here.</param>
/// <param name="TeamId">The team whose line it last joined, if any.</param>
public sealed record ConversationDto(
    Guid Id,
    Guid InboxId,
    Guid ContactId,
    string ContactName,
    ConversationStatus Status,
    ConversationHandler Handler,
    Guid? AssigneeId,
    ConversationPriority Priority,
    long LastSeq,
    int UnreadCount,
    string? LastMessagePreview,
    DateTime LastMessageAt,
    DateTime CreatedAt,
    DateTime? WaitingSince = null,
    Guid? TeamId = null);

/// <summary>The ack of a send: the message is committed.</summary>
/// <param name="MessageId">Server id of the stored message.</param>
/// <param name="ConversationId">Conversation it went to (created on a visitor's first message).</param>
/// <param name="Seq">Its position.</param>
/// <param name="Duplicate">True when this client message id was stored before: nothing new was stored.</param>
/// <param name="Message">The stored message.</param>
public sealed record SendMessageResult(Guid MessageId, Guid ConversationId, long Seq, bool Duplicate, MessageDto Message);

/// <summary>A page of messages in Seq order.</summary>
/// <param name="Messages">Messages with Seq greater than the requested one, oldest first.</param>
/// <param name="HasMore">True when more messages follow the last one returned.</param>
public sealed record MessagePage(IReadOnlyList<MessageDto> Messages, bool HasMore);

/// <summary>Someone started or stopped typing.</summary>
/// <param name="ConversationId">Where.</param>
/// <param name="Sender">visitor or agent.</param>
/// <param name="Name">Display name of who types (agents' names are shown to visitors).</param>
/// <param name="IsTyping">True while typing.</param>
public sealed record TypingEvent(Guid ConversationId, SenderType Sender, string? Name, bool IsTyping);

/// <summary>The state of a visitor's conversation changed.</summary>
/// <param name="ConversationId">Which one.</param>
/// <param name="Status">New status.</param>
/// <param name="LastSeq">Seq of its newest message.</param>
public sealed record ConversationStatusEvent(Guid ConversationId, ConversationStatus Status, long LastSeq);

/// <summary>A visitor's own conversation, as the widget sees it.</summary>
/// <param name="Id">Conversation id.</param>
/// <param name="Status">Status.</param>
/// <param name="LastSeq">Seq of its newest message.</param>
/// <param name="CreatedAt">Creation time, UTC.</param>
public sealed record VisitorConversationDto(Guid Id, ConversationStatus Status, long LastSeq, DateTime CreatedAt);

