using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.CannedReplies.Contracts;

/// <summary>Who a canned reply belongs to, and so who may use and edit it.</summary>
public enum CannedReplyScope
{
    /// <summary>One agent's own: only they see, use and edit it.</summary>
    Personal,

    /// <summary>A team's: its members use it; people with the knowledge permission edit it.</summary>
    Team,

    /// <summary>The whole workspace's: everyone uses it; people with the knowledge permission edit it.</summary>
    Shared,
}

/// <summary>A canned reply as written or replaced through the API and the console.</summary>
/// <param name="Title">1–100 characters.</param>
/// <param name="Shortcut">What follows <c>/</c> in the composer: 1–32 letters, digits, <c>_</c> or <c>-</c>; unique in its scope, whatever the case.</param>
/// <param name="Category">Optional, at most 50 characters.</param>
/// <param name="TextZh">The Simplified Chinese text; at least one of the two texts.</param>
/// <param name="TextEn">The English text; at least one of the two texts.</param>
/// <param name="Scope">Personal (the default), team or shared.</param>
/// <param name="TeamId">The team, for a team reply.</param>
/// <param name="AttachmentIds">
/// The reply's files, at most 5, in order: ids of the caller's unsent uploads (<c>POST /api/v1/attachments</c>) or of
/// files the reply already has; a file left out is deleted. Null (or absent) keeps the files as they are.
/// </param>
public sealed record CannedReplyInput(
    string? Title, string? Shortcut, string? Category, string? TextZh, string? TextEn, CannedReplyScope? Scope = null, Guid? TeamId = null,
    IReadOnlyList<Guid>? AttachmentIds = null);

/// <summary>A canned reply as listed.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Title">Title.</param>
/// <param name="Shortcut">Shortcut, without the <c>/</c>, as written.</param>
/// <param name="Category">Category, or empty.</param>
/// <param name="TextZh">Chinese text, or null.</param>
/// <param name="TextEn">English text, or null.</param>
/// <param name="Scope">Its scope.</param>
/// <param name="TeamId">The team of a team reply.</param>
/// <param name="OwnerId">The agent of a personal reply.</param>
/// <param name="UsageCount">How often anyone inserted it.</param>
/// <param name="MyUsageCount">How often the caller inserted it: the list offers their favourites first.</param>
/// <param name="CanManage">Whether the caller may edit and delete it.</param>
/// <param name="UpdatedAt">Last change (UTC).</param>
/// <param name="Attachments">The reply's files, in order, with download links that expire like any attachment link.</param>
public sealed record CannedReplyDto(
    Guid Id, string Title, string Shortcut, string Category, string? TextZh, string? TextEn, CannedReplyScope Scope, Guid? TeamId, Guid? OwnerId,
    int UsageCount, int MyUsageCount, bool CanManage, DateTime UpdatedAt, IReadOnlyList<AttachmentDto> Attachments);

/// <summary>Asks for a reply's text filled in for one conversation.</summary>
/// <param name="ConversationId">The conversation the agent is answering.</param>
public sealed record UseCannedReplyRequest(Guid? ConversationId);

/// <summary>A reply's text for one conversation, ready to edit in the composer (never sent by this call).</summary>
/// <param name="Id">The reply.</param>
/// <param name="Text">The text with the known variables filled in.</param>
/// <param name="Language"><c>zh-CN</c> or <c>en</c>: the conversation's language when the reply has it, else the other.</param>
/// <param name="Unfilled">Placeholders left as written (<c>{{contact.email}}</c>): unknown, or with no value for this conversation.</param>
/// <param name="Attachments">
/// The reply's files as new uploads of the caller (copies sharing the stored bytes): send each id as a message's
/// <c>attachmentId</c>, or leave it unsent.
/// </param>
public sealed record FilledCannedReply(Guid Id, string Text, string Language, IReadOnlyList<string> Unfilled, IReadOnlyList<AttachmentDto> Attachments);

/// <summary>What an import did.</summary>
/// <param name="Created">New replies.</param>
/// <param name="Updated">Replies replaced (rows whose id is a reply the caller may edit).</param>
public sealed record CannedReplyImportResult(int Created, int Updated);
