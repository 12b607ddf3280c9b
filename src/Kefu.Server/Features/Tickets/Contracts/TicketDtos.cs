namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>A ticket as the API and the console show it.</summary>
/// <param name="Id">The ticket.</param>
/// <param name="Number">Its number, sequential per workspace from 1.</param>
/// <param name="Subject">One line.</param>
/// <param name="Status">Where it is.</param>
/// <param name="Priority">How urgent.</param>
/// <param name="Type">What kind.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="RequesterId">The customer (a contact).</param>
/// <param name="AssigneeId">The agent working it.</param>
/// <param name="TeamId">The team it belongs to.</param>
/// <param name="Tags">Lower-case tags.</param>
/// <param name="Followers">Agents told about changes.</param>
/// <param name="ConversationId">The conversation it was made from, whose channel public replies take.</param>
/// <param name="MergedIntoId">The survivor, when this one was merged.</param>
/// <param name="FollowUpOfId">The closed ticket this one follows up.</param>
/// <param name="Related">Tickets linked as related.</param>
/// <param name="CreatedAt">Created, UTC.</param>
/// <param name="UpdatedAt">Last changed, UTC.</param>
/// <param name="Sla">Its SLA clock.</param>
/// <param name="InboxId">The inbox it belongs to (its conversation's or the e-mail inbox's); null when none.</param>
public sealed record TicketDto(
    Guid Id, long Number, string Subject, TicketStatus Status, TicketPriority Priority, TicketType Type, TicketSource Source,
    Guid? RequesterId, Guid? AssigneeId, Guid? TeamId, IReadOnlyList<string> Tags, IReadOnlyList<Guid> Followers,
    Guid? ConversationId, Guid? MergedIntoId, Guid? FollowUpOfId, IReadOnlyList<Guid> Related,
    DateTime CreatedAt, DateTime UpdatedAt, TicketSlaDto Sla, Guid? InboxId = null);

/// <summary>A ticket's SLA clock. Due times are instants (business hours already counted in); the time left is to the nearest.</summary>
/// <param name="FirstReplyDueAt">When the first public reply is due; null once given or with no policy.</param>
/// <param name="NextReplyDueAt">When the next public reply is due, after the customer wrote.</param>
/// <param name="ResolutionDueAt">When it should be solved.</param>
/// <param name="NextDueAt">The nearest of those.</param>
/// <param name="SecondsLeft">Seconds to <paramref name="NextDueAt"/> now; negative when breached; null with no running target.</param>
/// <param name="Breached">Targets breached so far.</param>
public sealed record TicketSlaDto(DateTime? FirstReplyDueAt, DateTime? NextReplyDueAt, DateTime? ResolutionDueAt, DateTime? NextDueAt, long? SecondsLeft, SlaTargets Breached);

/// <summary>A line of a ticket's thread.</summary>
/// <param name="Id">The line.</param>
/// <param name="Kind">Reply, note, customer or transcript.</param>
/// <param name="AuthorId">The agent or contact who wrote it; null for the system.</param>
/// <param name="AuthorName">Their display name when written.</param>
/// <param name="Text">Plain text (rendered as text, never as markup).</param>
/// <param name="TicketId">The ticket it was written on (a merged ticket's lines keep theirs).</param>
/// <param name="CreatedAt">When, UTC.</param>
/// <param name="Attachments">Files that came with it (a mail's attachments); empty when none.</param>
public sealed record TicketEntryDto(Guid Id, TicketEntryKind Kind, Guid? AuthorId, string? AuthorName, string Text, Guid TicketId, DateTime CreatedAt,
    IReadOnlyList<TicketAttachmentDto>? Attachments = null);

/// <summary>A file of a ticket's thread.</summary>
/// <param name="Id">The attachment.</param>
/// <param name="FileName">Its cleaned name.</param>
/// <param name="ContentType">Its type, found from its bytes.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Url">Where agents who see the ticket download it (<c>GET /api/v1/tickets/{id}/attachments/{attachmentId}</c>).</param>
public sealed record TicketAttachmentDto(Guid Id, string FileName, string ContentType, long Size, string Url);

/// <summary>A page of tickets; <paramref name="NextCursor"/> is null on the last one.</summary>
/// <param name="Items">The tickets.</param>
/// <param name="NextCursor">Pass back as <c>cursor</c> for the next page.</param>
public sealed record TicketPage(IReadOnlyList<TicketDto> Items, string? NextCursor);

/// <summary>A new ticket. Status starts <c>new</c>; with <paramref name="ConversationId"/> the transcript is copied and the link kept.</summary>
/// <param name="Subject">Required, one line.</param>
/// <param name="Description">The first line of the thread: the customer's request (or the agent's note of it).</param>
/// <param name="Priority">Default normal.</param>
/// <param name="Type">Default question.</param>
/// <param name="RequesterId">The customer; taken from the conversation when one is given.</param>
/// <param name="AssigneeId">An agent of the workspace.</param>
/// <param name="TeamId">A team of the workspace.</param>
/// <param name="Tags">Tags.</param>
/// <param name="ConversationId">The conversation to make it from.</param>
/// <param name="InboxId">The inbox it belongs to (one the caller may use); taken from the conversation when one is given.</param>
/// <param name="Fields">Custom field values by key (<c>{"order_number": "A-1", "refund": true}</c>); every required field must be given.</param>
public sealed record TicketInput(
    string? Subject, string? Description = null, TicketPriority? Priority = null, TicketType? Type = null, Guid? RequesterId = null,
    Guid? AssigneeId = null, Guid? TeamId = null, IReadOnlyList<string>? Tags = null, Guid? ConversationId = null, Guid? InboxId = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Fields = null);

/// <summary>A change of a ticket's fields; absent fields stay as they are. <c>ClearAssignee</c> unassigns.</summary>
/// <param name="Subject">New subject.</param>
/// <param name="Status">New status (checked against the transition table).</param>
/// <param name="Priority">New priority (the SLA targets are recomputed).</param>
/// <param name="Type">New type.</param>
/// <param name="AssigneeId">New assignee.</param>
/// <param name="ClearAssignee">True to unassign.</param>
/// <param name="TeamId">New team.</param>
/// <param name="Tags">Replaces the tags.</param>
/// <param name="Followers">Replaces the followers (adding or removing anyone but oneself needs the Settings permission).</param>
/// <param name="Fields">Custom field values by key; a JSON null clears one (not a required one); absent keys stay.</param>
public sealed record TicketChange(
    string? Subject = null, TicketStatus? Status = null, TicketPriority? Priority = null, TicketType? Type = null, Guid? AssigneeId = null,
    bool ClearAssignee = false, Guid? TeamId = null, IReadOnlyList<string>? Tags = null, IReadOnlyList<Guid>? Followers = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Fields = null);

/// <summary>The same change for several tickets; all or nothing.</summary>
/// <param name="Ids">Up to 100 tickets.</param>
/// <param name="Change">What to change on each.</param>
public sealed record TicketBulkChange(IReadOnlyList<Guid>? Ids, TicketChange? Change);

/// <summary>A line for the thread.</summary>
/// <param name="Text">Plain text.</param>
/// <param name="Internal">True for an internal note, false for a public reply.</param>
/// <param name="Status">Optionally, the status to move to with it (reply and set pending, reply and solve).</param>
public sealed record TicketEntryInput(string? Text, bool Internal = false, TicketStatus? Status = null);

/// <summary>Merge this ticket into <paramref name="TargetId"/>.</summary>
/// <param name="TargetId">The survivor.</param>
public sealed record TicketMergeInput(Guid TargetId);

/// <summary>Link this ticket to <paramref name="RelatedId"/> as related (both ways).</summary>
/// <param name="RelatedId">The other ticket.</param>
public sealed record TicketLinkInput(Guid RelatedId);

/// <summary>An SLA policy: the targets for tickets of one priority. Minutes; null means no such target.</summary>
/// <param name="Priority">The priority it applies to.</param>
/// <param name="FirstReplyMinutes">First public reply within.</param>
/// <param name="NextReplyMinutes">Next public reply within, after the customer writes.</param>
/// <param name="ResolutionMinutes">Solved within.</param>
/// <param name="BusinessHours">Weekly hours counted (<c>mon-fri 09:00-18:00</c>); empty means calendar time.</param>
/// <param name="TimeZone">The hours' time zone (IANA), default UTC.</param>
/// <param name="WarnBeforeMinutes">Warn this long before a target (default 30).</param>
/// <param name="Holidays">Closed dates, <c>yyyy-MM-dd</c>, space separated, in the time zone: business time does not count on them.</param>
/// <param name="UseInboxHours">Count the ticket's inbox's opening hours and holidays instead, when the ticket has an inbox with hours.</param>
public sealed record SlaPolicyDto(
    TicketPriority Priority, int? FirstReplyMinutes, int? NextReplyMinutes, int? ResolutionMinutes, string BusinessHours, string TimeZone, int WarnBeforeMinutes,
    string? Holidays = null, bool UseInboxHours = false);

/// <summary>
/// An SLA policy for the tickets of one tag or one inbox (exactly one of the two), whatever their priority. It wins over
/// the priority's policy: a tag rule first (the one made first when several of a ticket's tags have one), then the
/// inbox's rule, then the priority's policy.
/// </summary>
/// <param name="Id">The rule (null in a request).</param>
/// <param name="Tag">The tag it applies to.</param>
/// <param name="InboxId">The inbox it applies to.</param>
/// <param name="FirstReplyMinutes">First public reply within.</param>
/// <param name="NextReplyMinutes">Next public reply within, after the customer writes.</param>
/// <param name="ResolutionMinutes">Solved within.</param>
/// <param name="BusinessHours">Weekly hours counted; empty means calendar time.</param>
/// <param name="TimeZone">The hours' time zone (IANA), default UTC.</param>
/// <param name="Holidays">Closed dates, <c>yyyy-MM-dd</c>, space separated.</param>
/// <param name="UseInboxHours">Count the ticket's inbox's opening hours and holidays instead, when it has them.</param>
/// <param name="WarnBeforeMinutes">Warn this long before a target (default 30).</param>
public sealed record SlaRuleDto(
    Guid? Id, string? Tag, Guid? InboxId, int? FirstReplyMinutes, int? NextReplyMinutes, int? ResolutionMinutes, string? BusinessHours = null,
    string? TimeZone = null, string? Holidays = null, bool UseInboxHours = false, int WarnBeforeMinutes = 30);
