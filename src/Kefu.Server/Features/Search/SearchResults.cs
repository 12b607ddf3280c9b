namespace Kefu.Server.Features.Search;

/// <summary>A search as asked for (<c>GET /api/v1/search</c> and the console's search page).</summary>
/// <param name="Q">The words; 1–200 characters. Chinese is matched inside sentences; every piece must match.</param>
/// <param name="Kind"><c>message</c> (default), <c>conversation</c> (by contact name, e-mail or id, or conversation id) or <c>contact</c>.</param>
/// <param name="From">Only what happened at or after this instant (a message's time; a conversation's last activity).</param>
/// <param name="To">Only what happened before this instant.</param>
/// <param name="InboxId">Only conversations of this inbox.</param>
/// <param name="AgentId">Only conversations assigned to this agent.</param>
/// <param name="Status">Only conversations in this status.</param>
/// <param name="Tag">Only conversations (or contacts) of contacts with this tag.</param>
/// <param name="Page">1-based page.</param>
/// <param name="PageSize">1–50, default 20.</param>
public sealed record SearchRequest(
    string? Q, string? Kind = null, DateTime? From = null, DateTime? To = null, Guid? InboxId = null, Guid? AgentId = null,
    string? Status = null, string? Tag = null, int Page = 1, int PageSize = 20);

/// <summary>One result.</summary>
/// <param name="Kind"><c>message</c>, <c>note</c> (an agent's private note, found by a message search), <c>conversation</c> or <c>contact</c>.</param>
/// <param name="ConversationId">The conversation to open; null for a contact.</param>
/// <param name="MessageId">The message (kind <c>message</c>) or the note (kind <c>note</c>) that matched.</param>
/// <param name="Seq">Its <c>Seq</c> (a note's: the last message before it): where to open the conversation.</param>
/// <param name="ContactId">The contact.</param>
/// <param name="ContactName">The contact's name as stored.</param>
/// <param name="InboxId">The conversation's inbox; null for a contact.</param>
/// <param name="Status">The conversation's status; null for a contact.</param>
/// <param name="Sender">Who wrote the message (<c>Visitor</c>, <c>Agent</c>, <c>Bot</c>, <c>System</c>); null otherwise.</param>
/// <param name="At">The message's time, the conversation's last activity or the contact's last visit.</param>
/// <param name="Snippet">The matching text around the first match, as spans; matches have <c>match: true</c>.</param>
public sealed record SearchHit(
    string Kind, Guid? ConversationId, Guid? MessageId, long? Seq, Guid ContactId, string ContactName, Guid? InboxId, string? Status,
    string? Sender, DateTime At, IReadOnlyList<SnippetSpan> Snippet);

/// <summary>One page of results, newest first.</summary>
/// <param name="Items">The page.</param>
/// <param name="Page">Its number.</param>
/// <param name="PageSize">Its size.</param>
/// <param name="HasMore">True when a next page has results.</param>
public sealed record SearchPage(IReadOnlyList<SearchHit> Items, int Page, int PageSize, bool HasMore);
