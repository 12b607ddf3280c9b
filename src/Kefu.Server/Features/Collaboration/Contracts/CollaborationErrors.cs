using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Collaboration.Contracts;

/// <summary>The expected failures of notes, following and snoozing.</summary>
public static class CollaborationErrors
{
    /// <summary>The note is empty or only whitespace.</summary>
    public static readonly KefuError NoteEmpty = new("note_empty", "The note has no text.") { Field = "text" };

    /// <summary>The note is longer than the message limit.</summary>
    public static readonly KefuError NoteTooLong = new("note_too_long", "The note is longer than 4000 characters.") { Field = "text" };

    /// <summary>No such note in this conversation (or a conversation the caller cannot see).</summary>
    public static readonly KefuError NoteNotFound = new("note_not_found", "No such note.");

    /// <summary>Only the writer of a note edits or deletes it (a 403: the caller can read the note).</summary>
    public static readonly KefuError NotYourNote = new("forbidden", "Only the agent who wrote a note may edit or delete it.");

    /// <summary>An <c>@name</c> that is no active agent or team of this workspace (someone of another workspace included).</summary>
    public static KefuError UnknownMention(string name) =>
        new("unknown_mention", $"No agent or team of this workspace is called '{name}'. Nothing was saved.") { Field = "text" };

    /// <summary>A mentioned agent may not see this conversation, so could not open the note.</summary>
    public static KefuError MentionCannotSee(string name) =>
        new("mention_cannot_see", $"'{name}' cannot see this conversation. Nothing was saved.") { Field = "text" };

    /// <summary>The snooze has neither or both of a time and until-reply, or a time in the past or more than a year ahead.</summary>
    public static readonly KefuError InvalidSnooze = new("invalid_snooze", "Give either until (a time in the future, within a year) or untilReply: true.") { Field = "until" };

    /// <summary>A resolved conversation cannot be snoozed, marked pending or opened this way: reopen it first.</summary>
    public static readonly KefuError ConversationResolved = new("conversation_resolved", "The conversation is resolved; reopen it first.");

    /// <summary>Opening a conversation that is neither snoozed nor pending.</summary>
    public static readonly KefuError NotSnoozed = new("not_snoozed", "The conversation is neither snoozed nor pending.");
}
