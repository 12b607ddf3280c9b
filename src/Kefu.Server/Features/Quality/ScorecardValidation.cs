using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// Checks a scorecard request completely before anything is stored: the rule exists, its parameters are in range, the
/// phrase lists fit the limits (a 100,000-entry list is refused by count, before an automaton is built), and a pattern
/// compiles for the non-backtracking engine (backreferences and lookarounds are refused; the rest runs in linear time).
/// </summary>
internal static class ScorecardValidation
{
    private static readonly string[] Scopes = ["any", "closing"];

    public static KefuError? Validate(ScorecardRequest? request)
    {
        if (request is null)
        {
            return KefuError.InvalidRequest;
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > QualityLimits.MaxNameLength)
        {
            return QualityErrors.Invalid("name", "name must be 1–100 characters.");
        }

        if (request.Items is not { Count: > 0 } items || items.Count > QualityLimits.MaxItems)
        {
            return QualityErrors.Invalid("items", $"items must hold 1–{QualityLimits.MaxItems} items.");
        }

        var phrases = items.Sum(i => (long)(i?.Parameters?.Phrases?.Count ?? 0));
        if (phrases > QualityLimits.MaxPhrases)
        {
            return QualityErrors.TooManyPhrases("items");
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (Item(items[i], $"items[{i}]") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static KefuError? Item(ScorecardItem? item, string at)
    {
        if (item is null || item.Rule is null)
        {
            return QualityErrors.Invalid(at, "Each item needs a rule and a weight.");
        }

        if (!QualityRules.All.Contains(item.Rule))
        {
            return QualityErrors.UnknownRule(at + ".rule");
        }

        if (!(item.Weight > 0 && item.Weight <= QualityLimits.MaxWeight) || double.IsNaN(item.Weight))
        {
            return QualityErrors.Invalid(at + ".weight", "weight must be greater than 0 and at most 1000.");
        }

        if (item.Label is { Length: > QualityLimits.MaxNameLength })
        {
            return QualityErrors.Invalid(at + ".label", "label must be at most 100 characters.");
        }

        var p = item.Parameters ?? new ItemParameters();
        return item.Rule switch
        {
            QualityRules.Greeting or QualityRules.FirstResponse when p.Seconds is not null and not (>= 1 and <= 86_400) =>
                QualityErrors.Invalid(at + ".parameters.seconds", "seconds must be between 1 and 86400."),
            QualityRules.ReplyGap when p.Minutes is not null and not (>= 1 and <= 10_080) =>
                QualityErrors.Invalid(at + ".parameters.minutes", "minutes must be between 1 and 10080."),
            QualityRules.MaxTransfers when p.Max is not null and not (>= 0 and <= 100) =>
                QualityErrors.Invalid(at + ".parameters.max", "max must be between 0 and 100."),
            QualityRules.ForbiddenWords when p.Phrases is not { Count: > 0 } =>
                QualityErrors.Invalid(at + ".parameters.phrases", "forbidden_words needs at least one phrase."),
            QualityRules.ForbiddenPattern => Pattern(p.Pattern, at + ".parameters.pattern"),
            QualityRules.RequiredPhrase when p.Scope is not null && !Scopes.Contains(p.Scope) =>
                QualityErrors.Invalid(at + ".parameters.scope", "scope must be any or closing."),
            _ => Phrases(p.Phrases, at + ".parameters.phrases"),
        };
    }

    private static KefuError? Phrases(IReadOnlyList<string>? phrases, string at)
    {
        if (phrases is null)
        {
            return null;
        }

        foreach (var phrase in phrases)
        {
            if (string.IsNullOrWhiteSpace(phrase) || phrase.Length > QualityLimits.MaxPhraseLength)
            {
                return QualityErrors.TooManyPhrases(at);
            }
        }

        return null;
    }

    private static KefuError? Pattern(string? pattern, string at)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > QualityLimits.MaxPatternLength)
        {
            return QualityErrors.InvalidPattern(at, "it must be 1–500 characters.");
        }

        try
        {
            _ = CompiledScorecard.CreatePattern(pattern);
            return null;
        }
        catch (NotSupportedException)
        {
            return QualityErrors.InvalidPattern(at, "backreferences, lookarounds and atomic groups are not supported.");
        }
        catch (ArgumentException)
        {
            return QualityErrors.InvalidPattern(at, "it is not a valid regular expression.");
        }
    }
}
