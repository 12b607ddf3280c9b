using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Quality;

/// <summary>The expected failures of quality inspection; validation errors name the request field at fault.</summary>
internal static class QualityErrors
{
    public static readonly KefuError Forbidden = new("forbidden", "Your role may not do this.");
    public static readonly KefuError ScorecardNotFound = new("scorecard_not_found", "No such scorecard.");
    public static readonly KefuError ScoreNotFound = new("quality_score_not_found", "No such score.");
    public static readonly KefuError ConversationNotFound = new("conversation_not_found", "No such conversation.");

    public static KefuError Invalid(string field, string message) => new("invalid_scorecard", message) { Field = field };

    public static KefuError UnknownRule(string field) => new("unknown_rule", "rule must be one of: " + string.Join(", ", Contracts.QualityRules.All.Order())) { Field = field };

    public static KefuError TooManyPhrases(string field) =>
        new("too_many_phrases", $"A scorecard holds at most {QualityLimits.MaxPhrases} phrases in all, each 1–{QualityLimits.MaxPhraseLength} characters.") { Field = field };

    public static KefuError InvalidPattern(string field, string reason) => new("invalid_pattern", "pattern cannot be used: " + reason) { Field = field };

    public static KefuError InvalidOverride(string field, string message) => new("invalid_override", message) { Field = field };
}

/// <summary>Limits of a scorecard: a larger request is refused whole, before anything is built or stored.</summary>
internal static class QualityLimits
{
    public const int MaxItems = 30;
    public const int MaxPhrases = 20_000;
    public const int MaxPhraseLength = 100;
    public const int MaxPatternLength = 500;
    public const double MaxWeight = 1000;
    public const int MaxNameLength = 100;
    public const int MaxCommentLength = 1000;
    public const int MaxNoteLength = 4000;
}
