using System.Text.Json.Serialization;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Who caused an event.</summary>
public enum ActorType
{
    /// <summary>Kefu itself: routing, timers, retention.</summary>
    System,

    /// <summary>The customer, through any channel.</summary>
    Visitor,

    /// <summary>A person of the business.</summary>
    Agent,

    /// <summary>The bot.</summary>
    Bot,

    /// <summary>An outside system through the API or a webhook reply.</summary>
    Integration,
}

/// <summary>Who caused an event, and which one of them when it is a person or an integration.</summary>
/// <param name="Type">The kind of actor.</param>
/// <param name="Id">The agent, contact or API key; null for the system and the bot.</param>
public sealed record Actor(ActorType Type, Guid? Id = null)
{
    /// <summary>Kefu itself.</summary>
    public static readonly Actor System = new(ActorType.System);

    /// <summary>The bot.</summary>
    public static readonly Actor Bot = new(ActorType.Bot);

    /// <summary>An agent.</summary>
    public static Actor Agent(Guid userId) => new(ActorType.Agent, userId);

    /// <summary>A customer.</summary>
    public static Actor Visitor(Guid contactId) => new(ActorType.Visitor, contactId);

    /// <summary>The actor who wrote a message of this sender type.</summary>
    public static Actor ForSender(SenderType sender, Guid? senderId) => sender switch
    {
        SenderType.Visitor => new(ActorType.Visitor, senderId),
        SenderType.Agent => new(ActorType.Agent, senderId),
        SenderType.Bot => Bot,
        _ => System,
    };
}

/// <summary>Marks a property kept in the conversation's timeline but left out of the durable event
/// that consumers (webhooks, reporting) receive: free text written by people, such as a transfer note.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimelineOnlyAttribute : Attribute;

/// <summary>
/// A state change of a conversation: the one catalogue of what can happen. Each record is named
/// <c>resource.action</c> (<see cref="Type"/>), carries who did it and when, and round-trips through JSON
/// (<see cref="ConversationEventCatalogue"/>). Only the conversation journal writes them.
/// </summary>
public abstract record ConversationEvent
{
    /// <summary>The workspace.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The conversation the event is about.</summary>
    public required Guid ConversationId { get; init; }

    /// <summary>Who caused it.</summary>
    public required Actor Actor { get; init; }

    /// <summary>When, UTC, from the server's <see cref="TimeProvider"/>.</summary>
    public required DateTime OccurredAt { get; init; }

    /// <summary>The event's name, <c>resource.action</c>.</summary>
    [JsonIgnore]
    public abstract string Type { get; }

    /// <summary>True when the event belongs in the conversation's timeline (state changes do; messages are their own record).</summary>
    [JsonIgnore]
    public virtual bool InTimeline => true;
}

/// <summary>A conversation started: the first message of a contact in an inbox, or a conversation opened by an agent or the API.</summary>
/// <param name="InboxId">Where it arrived.</param>
/// <param name="ContactId">The customer.</param>
/// <param name="Handler">Who holds it first: the bot, or the queue.</param>
public sealed record ConversationCreated(Guid InboxId, Guid ContactId, ConversationHandler Handler) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.created";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>A message was committed. Not in the timeline (the message is its own record).</summary>
/// <param name="MessageId">The message.</param>
/// <param name="Seq">Its place in the conversation.</param>
/// <param name="Sender">Who wrote it.</param>
/// <param name="Handler">Who held the conversation when it was written (the bot answers only its own).</param>
/// <param name="InboxId">The conversation's inbox, so channel senders need no read to pick a channel.</param>
/// <param name="ContactId">The customer.</param>
public sealed record MessageCreated(Guid MessageId, long Seq, SenderType Sender, ConversationHandler Handler, Guid InboxId, Guid ContactId) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "message.created";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;
}

/// <summary>A resolved conversation was opened again, by a visitor's message or an agent.</summary>
public sealed record ConversationReopened : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.reopened";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>A conversation was marked done.</summary>
public sealed record ConversationResolved : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.resolved";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>The bot handed a conversation to people.</summary>
/// <param name="Reason">Why (<c>asked_for_human</c>, <c>low_confidence</c>, <c>angry</c> …; see the bot's hand-off reasons).</param>
/// <param name="AgentsAvailable">Whether an agent was available at that moment.</param>
/// <param name="Intent">The intent the bot detected last, if any.</param>
/// <param name="Skill">The routing skill that intent asks for, if the workspace maps one; routing requires it.</param>
public sealed record ConversationHandedOff(string Reason, bool AgentsAvailable, string? Intent = null, string? Skill = null) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.handed_off";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>A conversation entered the line for a person.</summary>
/// <param name="Rank">Its rank in line (lower goes first).</param>
/// <param name="Vip">The contact carries a VIP tag.</param>
/// <param name="TeamId">The team it waits for, if any.</param>
/// <param name="Skills">Skills an agent needs, space-separated.</param>
public sealed record ConversationQueued(int Rank, bool Vip, Guid? TeamId, string Skills) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.queued";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>Routing offered a conversation to an agent, who accepts before it expires.</summary>
/// <param name="AgentId">The agent offered.</param>
/// <param name="Reason">The routing strategy that chose them.</param>
/// <param name="ExpiresAt">When the offer lapses, UTC.</param>
public sealed record ConversationOffered(Guid AgentId, string Reason, DateTime ExpiresAt) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.offered";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>An agent got an unassigned conversation.</summary>
/// <param name="AgentId">The new assignee.</param>
/// <param name="Reason"><c>round_robin</c>, <c>least_busy</c>, <c>longest_idle</c>, <c>returning</c>, <c>offer_accepted</c>, <c>manual</c>, <c>replied</c>.</param>
public sealed record ConversationAssigned(Guid AgentId, string Reason) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.assigned";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>A conversation moved from one agent to another agent or back to a team's line.</summary>
/// <param name="AgentId">The new assignee, when moved to an agent.</param>
/// <param name="TeamId">The team whose line it joined, when moved to a team.</param>
/// <param name="FromAgentId">The previous assignee.</param>
/// <param name="Reason"><c>transfer</c> (by the assignee), <c>reassign</c> (by a supervisor) or <c>deactivated</c> (the system gave a deactivated agent's conversation back to the line).</param>
/// <param name="Note">The handover note: shown in the timeline, never sent to consumers.</param>
public sealed record ConversationTransferred(Guid? AgentId, Guid? TeamId, Guid? FromAgentId, string Reason, [property: TimelineOnly] string? Note) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.transferred";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>Why a conversation's priority changed.</summary>
public static class PriorityReasons
{
    /// <summary>The visitor wrote an angry message while waiting in the queue.</summary>
    public const string AngryWhileWaiting = "angry_while_waiting";

    /// <summary>The visitor wrote an angry message while an agent held the conversation.</summary>
    public const string AngryWithAgent = "angry_with_agent";

    /// <summary>A person chose it in the console or through the API (the event's actor says who).</summary>
    public const string SetByAgent = "set_by_agent";
}

/// <summary>A conversation's priority changed (raised for an angry visitor, or set by a person).</summary>
/// <param name="From">The priority before.</param>
/// <param name="To">The priority now.</param>
/// <param name="Reason">See <see cref="PriorityReasons"/>.</param>
/// <param name="Cues">What was noticed, comma-separated: lexicon words and signals such as <c>!!!</c>, never the visitor's text.</param>
public sealed record ConversationPriorityChanged(ConversationPriority From, ConversationPriority To, string Reason, string Cues) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.priority_changed";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>The visitor chose to leave a message instead of waiting in line.</summary>
public sealed record ConversationLeftMessage : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.left_message";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>An offer to an agent lapsed unanswered; the agent is set away and the next one is offered.</summary>
/// <param name="AgentId">The agent who did not answer.</param>
public sealed record OfferExpired(Guid AgentId) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "offer.expired";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>An agent declined an offer; the next one is offered.</summary>
/// <param name="AgentId">The agent who declined.</param>
public sealed record OfferDeclined(Guid AgentId) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "offer.declined";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>
/// A conversation was deleted with everything in it (retention, or a contact's erasure request). Not in the
/// timeline, which goes with it: consumers learn that the id no longer exists and drop what they keep about it.
/// </summary>
/// <param name="Reason"><c>retention</c> or <c>erasure</c>.</param>
public sealed record ConversationDeleted(string Reason) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.deleted";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;
}

/// <summary>
/// A conversation's personal content was removed (retention): its messages' text replaced, its attachments
/// deleted; its shape (times, counts, inbox, agent, status) stays for reports.
/// </summary>
/// <param name="Reason"><c>retention</c> or <c>erasure</c>.</param>
public sealed record ConversationAnonymised(string Reason) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.anonymised";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>
/// An automation rule or a macro acted on a conversation: one entry per action, so the timeline says which rule did
/// what. <see cref="Depth"/> is how many rule runs led here (a visitor's message starts at 0; a rule's message that
/// triggers another rule is 1 …): the automation stops at its depth limit, so rules cannot feed each other forever.
/// </summary>
/// <param name="Source"><c>rule</c> or <c>macro</c>.</param>
/// <param name="SourceId">The rule or macro.</param>
/// <param name="SourceName">Its name when it ran (the timeline keeps it even after a rename or delete).</param>
/// <param name="Action">The action's kind (<c>add_tags</c>, <c>set_priority</c>, <c>assign_team</c>, <c>assign_agent</c>, <c>send_message</c>, <c>resolve</c>).</param>
/// <param name="Outcome"><c>done</c>, or the error code that stopped this action (the next one still ran).</param>
/// <param name="Depth">Rule runs that led here.</param>
public sealed record AutomationApplied(string Source, Guid SourceId, [property: TimelineOnly] string SourceName, string Action, string Outcome, int Depth) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "automation.applied";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>
/// An agent wrote a private note in a conversation (Collaboration). Not in the timeline: the note is its own record,
/// kept apart from the messages, and never reaches the visitor or a channel. The event carries ids only, never the
/// note's text, so consumers (the bell, automation, search) read the note itself when they need it.
/// </summary>
/// <param name="NoteId">The note.</param>
/// <param name="Mentioned">Every agent the note mentions, by name or through a team, resolved when it was written, never the
/// writer: ids, space-separated (like <see cref="ConversationQueued.Skills"/>), so the event stays a flat record.</param>
public sealed record NoteCreated(Guid NoteId, string Mentioned) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "note.created";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;

    /// <summary>The mentioned agents' ids.</summary>
    [JsonIgnore]
    public IEnumerable<Guid> MentionedAgentIds =>
        Mentioned.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.TryParse(s, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty);
}

/// <summary>An agent put a conversation aside until a time, or until the customer replies (<paramref name="Until"/> null).</summary>
/// <param name="Until">When it comes back by itself, UTC; null: only when the customer writes (or an agent opens it).</param>
public sealed record ConversationSnoozed(DateTime? Until) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.snoozed";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>An agent marked a conversation as waiting on the customer.</summary>
public sealed record ConversationPending : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.pending";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>Why a snoozed or pending conversation came back to the open lists.</summary>
public static class OpenedReasons
{
    /// <summary>The snooze's time came.</summary>
    public const string Time = "time";

    /// <summary>The customer wrote.</summary>
    public const string Reply = "reply";

    /// <summary>An agent opened it by hand.</summary>
    public const string Agent = "agent";
}

/// <summary>A snoozed or pending conversation is open again.</summary>
/// <param name="From">The status it left: <see cref="ConversationStatus.Snoozed"/> or <see cref="ConversationStatus.Pending"/>.</param>
/// <param name="Reason">See <see cref="OpenedReasons"/>.</param>
public sealed record ConversationOpened(ConversationStatus From, string Reason) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "conversation.opened";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>A visitor answered (or changed) a survey in this conversation.</summary>
/// <param name="ResponseId">The survey response.</param>
/// <param name="Kind">csat, nps or ces.</param>
/// <param name="Score">The score given (csat and ces 1–5, nps 0–10).</param>
public sealed record SurveyAnswered(Guid ResponseId, string Kind, int Score) : ConversationEvent
{
    /// <summary>The event type name.</summary>
    public const string Name = "survey.answered";

    /// <inheritdoc />
    public override string Type => Name;
}
