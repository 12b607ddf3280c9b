namespace Kefu.Server.Features.Collaboration.Contracts;

/// <summary>Someone a note mentions.</summary>
/// <param name="Kind"><c>agent</c> or <c>team</c>.</param>
/// <param name="Id">The agent or team.</param>
/// <param name="Name">Their name now (a renamed colleague shows under the new name).</param>
public sealed record MentionDto(string Kind, Guid Id, string Name);

/// <summary>A private note, for agents only.</summary>
/// <param name="Id">The note.</param>
/// <param name="ConversationId">Its conversation.</param>
/// <param name="AuthorId">The writer; null once their account is gone.</param>
/// <param name="AuthorName">The writer's name now.</param>
/// <param name="Text">As written (plain text).</param>
/// <param name="Mentions">Who it mentions.</param>
/// <param name="CreatedAt">When, UTC.</param>
public sealed record NoteDto(Guid Id, Guid ConversationId, Guid? AuthorId, string? AuthorName, string Text, IReadOnlyList<MentionDto> Mentions, DateTime CreatedAt);

/// <summary>A note to add.</summary>
/// <param name="Text">Up to 4000 characters; <c>@name</c> of an agent or a team of the workspace mentions them.</param>
public sealed record NoteRequest(string? Text);

/// <summary>Whether the caller follows a conversation, and how many do.</summary>
/// <param name="Following">The caller follows it.</param>
/// <param name="Followers">Everyone who does, the caller included.</param>
public sealed record FollowDto(bool Following, int Followers);

/// <summary>A snooze: exactly one of the two.</summary>
/// <param name="Until">When it comes back, UTC (ISO 8601), in the future and within a year.</param>
/// <param name="UntilReply">True: until the customer writes.</param>
public sealed record SnoozeRequest(DateTime? Until, bool? UntilReply);

/// <summary>Someone who can be mentioned: the composer's autocomplete.</summary>
/// <param name="Kind"><c>agent</c> or <c>team</c>.</param>
/// <param name="Id">The agent or team.</param>
/// <param name="Name">What follows the <c>@</c>.</param>
public sealed record MentionTarget(string Kind, Guid Id, string Name);
