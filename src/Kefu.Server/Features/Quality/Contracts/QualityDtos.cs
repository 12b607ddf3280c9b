namespace Kefu.Server.Features.Quality.Contracts;

/// <summary>The rules a scorecard item can check; their exact definitions are in <c>docs/quality.md</c>.</summary>
public static class QualityRules
{
    /// <summary>The first agent message after an agent took the conversation is a greeting, within <c>seconds</c>.</summary>
    public const string Greeting = "greeting";

    /// <summary>The first agent reply came within <c>seconds</c> of the visitor reaching a person.</summary>
    public const string FirstResponse = "first_response";

    /// <summary>No visitor turn waited more than <c>minutes</c> for the next agent reply.</summary>
    public const string ReplyGap = "reply_gap";

    /// <summary>No agent message contains any of <c>phrases</c>.</summary>
    public const string ForbiddenWords = "forbidden_words";

    /// <summary>No agent message matches <c>pattern</c> (a .NET regular expression run without backtracking).</summary>
    public const string ForbiddenPattern = "forbidden_pattern";

    /// <summary>An agent message (or the last one, with scope <c>closing</c>) contains one of <c>phrases</c>.</summary>
    public const string RequiredPhrase = "required_phrase";

    /// <summary>No agent message holds a mobile, identity card or payment card number.</summary>
    public const string NoPersonalData = "no_personal_data";

    /// <summary>Transferred at most <c>max</c> times.</summary>
    public const string MaxTransfers = "max_transfers";

    /// <summary>The visitor answered a CSAT survey.</summary>
    public const string CsatAnswered = "csat_answered";

    /// <summary>A visitor message contains one of <c>phrases</c> (the customer confirmed the resolution).</summary>
    public const string ResolutionConfirmed = "resolution_confirmed";

    /// <summary>When a visitor message was upset, a later agent message contains one of <c>phrases</c>.</summary>
    public const string Empathy = "empathy";

    /// <summary>Every rule.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Greeting, FirstResponse, ReplyGap, ForbiddenWords, ForbiddenPattern, RequiredPhrase, NoPersonalData, MaxTransfers, CsatAnswered,
        ResolutionConfirmed, Empathy,
    };
}

/// <summary>The outcome of one item.</summary>
public static class ItemOutcomes
{
    /// <summary>The conversation met the rule.</summary>
    public const string Pass = "pass";

    /// <summary>It did not.</summary>
    public const string Fail = "fail";

    /// <summary>The rule does not apply (no agent message, the visitor was never upset …); left out of the score.</summary>
    public const string NotApplicable = "not_applicable";
}

/// <summary>Parameters of a scorecard item; which ones a rule reads is in <c>docs/quality.md</c>.</summary>
/// <param name="Seconds">For <c>greeting</c> and <c>first_response</c>: 1–86400.</param>
/// <param name="Minutes">For <c>reply_gap</c>: 1–10080.</param>
/// <param name="Max">For <c>max_transfers</c>: 0–100.</param>
/// <param name="Phrases">For the phrase rules: 1–20,000 phrases of 1–100 characters, matched case-insensitively as substrings.</param>
/// <param name="Pattern">For <c>forbidden_pattern</c>: up to 500 characters, no backreferences or lookarounds.</param>
/// <param name="Scope">For <c>required_phrase</c>: <c>any</c> (default) or <c>closing</c> (the last agent message).</param>
public sealed record ItemParameters(int? Seconds = null, int? Minutes = null, int? Max = null, IReadOnlyList<string>? Phrases = null,
    string? Pattern = null, string? Scope = null);

/// <summary>One item of a scorecard.</summary>
/// <param name="Rule">One of <see cref="QualityRules"/>.</param>
/// <param name="Weight">Greater than 0, at most 1000; items' weights are normalised by their sum over the items that apply.</param>
/// <param name="Label">A name shown to people; the rule's name when empty.</param>
/// <param name="Parameters">The rule's parameters.</param>
public sealed record ScorecardItem(string Rule, double Weight, string? Label = null, ItemParameters? Parameters = null);

/// <summary>Creates a scorecard or changes one (a change makes a new version).</summary>
/// <param name="Name">1–100 characters.</param>
/// <param name="InboxId">Only this inbox's conversations; null for every inbox.</param>
/// <param name="Items">1–30 items.</param>
/// <param name="Active">False keeps it but scores nothing with it.</param>
public sealed record ScorecardRequest(string? Name, Guid? InboxId, IReadOnlyList<ScorecardItem>? Items, bool Active = true);

/// <summary>A scorecard at its current version.</summary>
public sealed record ScorecardDto(Guid Id, string Name, Guid? InboxId, bool Active, int Version, Guid VersionId, IReadOnlyList<ScorecardItem> Items,
    DateTime UpdatedAt, RescoringDto? Rescoring);

/// <summary>Progress of the background rescoring of a scorecard's version.</summary>
public sealed record RescoringDto(int Version, string Status, int Scored, DateTime? Cursor, DateTime? FinishedAt);

/// <summary>One item's result in a score.</summary>
/// <param name="Index">The item's place in its scorecard version.</param>
/// <param name="Outcome">The automatic outcome (<see cref="ItemOutcomes"/>).</param>
/// <param name="MessageId">The message that decided it, when one did.</param>
/// <param name="Detail">What decided it, as a short non-personal note (<c>42 s</c>, the matched phrase …).</param>
/// <param name="Override">A supervisor's outcome replacing <paramref name="Outcome"/>, or null.</param>
public sealed record ItemResultDto(int Index, string Rule, string Label, double Weight, string Outcome, Guid? MessageId, string? Detail,
    string? Override = null, string? OverrideComment = null, Guid? OverriddenBy = null, DateTime? OverriddenAt = null)
{
    /// <summary>What counts: the override when there is one.</summary>
    public string Effective => Override ?? Outcome;
}

/// <summary>A conversation's score by one scorecard version.</summary>
/// <param name="Score">0–100 with overrides applied; null when no item applied.</param>
/// <param name="AutoScore">0–100 as scored automatically.</param>
public sealed record QualityScoreDto(Guid Id, Guid ConversationId, Guid ScorecardId, string ScorecardName, int Version, Guid? AgentId, double? Score,
    double? AutoScore, DateTime ScoredAt, IReadOnlyList<ItemResultDto> Items, string? CoachingNote, Guid? CoachedBy, DateTime? CoachedAt);

/// <summary>A supervisor's override of one item.</summary>
/// <param name="Outcome"><c>pass</c>, <c>fail</c>, <c>not_applicable</c>, or null to remove the override.</param>
/// <param name="Comment">Why; 1–1000 characters when overriding.</param>
public sealed record OverrideItemRequest(string? Outcome, string? Comment);

/// <summary>A coaching note the agent sees on their score; empty removes it.</summary>
public sealed record CoachingNoteRequest(string? Note);

/// <summary>The review queue: the lowest scores first, and a random sample of the rest.</summary>
public sealed record ReviewQueueDto(IReadOnlyList<QualityScoreDto> Lowest, IReadOnlyList<QualityScoreDto> Sample);
