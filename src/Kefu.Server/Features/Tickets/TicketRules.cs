using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Tickets;

/// <summary>The limits of tickets and their thread, for the API, the console and the channel contract alike.</summary>
internal static class TicketRules
{
    public const int MaxSubjectLength = 200;
    public const int MaxTextLength = TicketLimits.MaxTextLength;
    public const int MaxTags = 20;
    public const int MaxTagLength = 32;
    public const int MaxFollowers = 50;
    public const int MaxRelated = 50;
    public const int MaxBulk = 100;

    /// <summary>The subject, one line; or the error on <c>subject</c>.</summary>
    public static (string? Subject, KefuError? Error) Subject(string? subject)
    {
        var text = SafeText.SingleLine(subject);
        return text.Length == 0 ? (null, TicketErrors.Invalid("subject", "A ticket needs a subject."))
            : text.Length > MaxSubjectLength ? (null, TicketErrors.Invalid("subject", $"The subject is at most {MaxSubjectLength} characters."))
            : (text, null);
    }

    /// <summary>A thread line's text; or the error on <c>text</c>.</summary>
    public static (string? Text, KefuError? Error) Text(string? text)
    {
        var clean = SafeText.MultiLine(text);
        return clean.Length == 0 ? (null, TicketErrors.Invalid("text", "Write something."))
            : clean.Length > MaxTextLength ? (null, TicketErrors.Invalid("text", $"A line of the thread is at most {MaxTextLength} characters."))
            : (clean, null);
    }

    /// <summary>Tags, lower case, distinct, space separated; or the error on <c>tags</c>.</summary>
    public static (string? Tags, KefuError? Error) Tags(IReadOnlyList<string>? tags)
    {
        var clean = (tags ?? []).Select(t => SafeText.SingleLine(t).ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (clean.Count > MaxTags)
        {
            return (null, TicketErrors.Invalid("tags", $"At most {MaxTags} tags."));
        }

        // The same shape as conversation and contact tags: letters, digits, '-' and '_'.
        return clean.Any(t => t.Length > MaxTagLength || !t.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'))
            ? (null, TicketErrors.Invalid("tags", $"Tags are 1 to {MaxTagLength} letters, digits, '-' or '_'."))
            : (string.Join(' ', clean), null);
    }

    /// <summary>True for a value the enum declares (JSON numbers bind to undeclared values otherwise).</summary>
    public static bool Declared<T>(T? value) where T : struct, Enum => value is null || Enum.IsDefined(value.Value);

    public static IReadOnlyList<string> Split(string list) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static IReadOnlyList<Guid> Ids(string list) => [.. Split(list).Select(Guid.Parse)];

    public static string Join(IEnumerable<Guid> ids) => string.Join(' ', ids.Distinct());

    /// <summary>The DTO of a ticket with its time left at <paramref name="now"/>.</summary>
    public static TicketDto ToDto(Ticket t, DateTime now) => new(
        t.Id, t.Number, t.Subject, t.Status, t.Priority, t.Type, t.Source, t.RequesterId, t.AssigneeId, t.TeamId, Split(t.Tags), Ids(t.Followers),
        t.ConversationId, t.MergedIntoId, t.FollowUpOfId, Ids(t.Related), t.CreatedAt, t.UpdatedAt,
        new TicketSlaDto(t.FirstReplyDueAt, t.NextReplyDueAt, t.ResolutionDueAt, t.NextDueAt,
            t.NextDueAt is { } due ? (long)Math.Floor((due - now).TotalSeconds) : null, t.SlaBreached), t.InboxId);

    public static TicketEntryDto ToDto(TicketEntry e) => new(e.Id, e.Kind, e.AuthorId, e.AuthorName, e.Text, e.TicketId, e.CreatedAt);
}
