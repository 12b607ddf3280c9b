using System.Globalization;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Contacts.Contracts;

namespace Kefu.Server.Features.Automation;

/// <summary>What a rule's conditions are tested against, read once per event.</summary>
/// <param name="InboxId">The conversation's inbox.</param>
/// <param name="Channel">Its channel type, lower case (<c>webwidget</c> …).</param>
/// <param name="Text">The message's text (for other triggers the conversation's last message), masked as stored.</param>
/// <param name="Tags">The contact's tags.</param>
/// <param name="Priority">The conversation's priority, lower case.</param>
/// <param name="Intent">The intent the bot detected, on a hand-off.</param>
/// <param name="Open">Whether the inbox is within business hours; null when no rule asked.</param>
internal sealed record RuleFacts(Guid InboxId, string Channel, string Text, IReadOnlyList<string> Tags, string Priority, string? Intent, bool? Open)
{
    /// <summary>The contact's language tag (<c>zh-CN</c>); null when unknown.</summary>
    public string? Language { get; init; }

    /// <summary>The contact's custom attributes by key; empty when no rule asked.</summary>
    public IReadOnlyDictionary<string, ContactAttributeValueDto> Attributes { get; init; } = new Dictionary<string, ContactAttributeValueDto>();

    /// <summary>The survey's score, on <c>survey_answered</c>; null otherwise.</summary>
    public int? Score { get; init; }
}

/// <summary>A condition ready to test: a regular expression is compiled once, when rules are loaded.</summary>
internal sealed record CompiledCondition(string Field, string Operator, string Value, Regex? Pattern, string? Key = null);

/// <summary>A rule as the engine holds it in memory.</summary>
internal sealed record CompiledRule(
    Guid Id, Guid TenantId, string Name, string Trigger, string Sender, int IdleMinutes, bool MatchAny,
    IReadOnlyList<CompiledCondition> Conditions, IReadOnlyList<RuleAction> Actions, Guid ActorId)
{
    public bool NeedsHours => Conditions.Any(c => c.Field == "business_hours");

    public bool NeedsAttributes => Conditions.Any(c => c.Field == "attribute");
}

/// <summary>Tests conditions. Pure: no clock, no database; a regular expression that runs out of time counts as false.</summary>
internal static class RuleMatcher
{
    /// <summary>How long one regular expression may run on one text (NonBacktracking keeps it linear; this bounds huge texts).</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Compiles a pattern the way rules run it; throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> for one that cannot run.</summary>
    public static Regex Compile(string pattern, TimeSpan? timeout = null) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, timeout ?? RegexTimeout);

    /// <summary>True when the rule's conditions hold (all of them, or any of them); a rule without conditions always holds.</summary>
    public static bool Matches(CompiledRule rule, RuleFacts facts, Action<Guid>? timedOut = null)
    {
        if (rule.Conditions.Count == 0)
        {
            return true;
        }

        foreach (var condition in rule.Conditions)
        {
            var holds = Test(condition, facts, () => timedOut?.Invoke(rule.Id));
            if (holds == rule.MatchAny)
            {
                return holds; // any: the first true decides; all: the first false decides
            }
        }

        return !rule.MatchAny;
    }

    public static bool Test(CompiledCondition c, RuleFacts facts, Action? timedOut = null) => (c.Field, c.Operator) switch
    {
        ("inbox", "equals") => Guid.TryParse(c.Value, out var id) && id == facts.InboxId,
        ("inbox", "not_equals") => !(Guid.TryParse(c.Value, out var id) && id == facts.InboxId),
        ("channel", "equals") => Same(c.Value, facts.Channel),
        ("channel", "not_equals") => !Same(c.Value, facts.Channel),
        ("text", "contains") => facts.Text.Contains(c.Value, StringComparison.OrdinalIgnoreCase),
        ("text", "not_contains") => !facts.Text.Contains(c.Value, StringComparison.OrdinalIgnoreCase),
        ("text", "matches") => IsMatch(c.Pattern!, facts.Text, timedOut),
        ("tag", "contains") => facts.Tags.Contains(c.Value, StringComparer.OrdinalIgnoreCase),
        ("tag", "not_contains") => !facts.Tags.Contains(c.Value, StringComparer.OrdinalIgnoreCase),
        ("priority", "equals") => Same(c.Value, facts.Priority),
        ("priority", "not_equals") => !Same(c.Value, facts.Priority),
        ("intent", "equals") => Same(c.Value, facts.Intent),
        ("intent", "not_equals") => !Same(c.Value, facts.Intent),
        ("business_hours", "equals") => facts.Open is { } open && (c.Value == "open") == open,
        ("language", "equals") => SameLanguage(c.Value, facts.Language),
        ("language", "not_equals") => !SameLanguage(c.Value, facts.Language),
        ("score", _) => facts.Score is { } score && int.TryParse(c.Value, CultureInfo.InvariantCulture, out var wanted) && c.Operator switch
        {
            "at_least" => score >= wanted,
            "at_most" => score <= wanted,
            _ => score == wanted,
        },
        ("attribute", _) => Attribute(c, facts.Attributes.GetValueOrDefault(c.Key ?? "")),
        _ => false,
    };

    /// <summary><c>zh</c> matches <c>zh-CN</c> and <c>zh</c>; <c>zh-CN</c> matches only itself. An unknown language matches nothing.</summary>
    private static bool SameLanguage(string wanted, string? language) =>
        language is not null && (Same(wanted, language) || language.StartsWith(wanted + "-", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// An attribute condition: a contact without the value fails every operator but <c>not_equals</c>. Numbers compare as
    /// numbers, dates as <c>yyyy-MM-dd</c> text (which orders like the dates), the rest case-insensitively.
    /// </summary>
    private static bool Attribute(CompiledCondition c, ContactAttributeValueDto? value)
    {
        if (value is null)
        {
            return c.Operator == "not_equals";
        }

        var order = value.Type == ContactAttributeType.Number
            ? decimal.TryParse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var have) &&
              decimal.TryParse(c.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var want) ? have.CompareTo(want) : (int?)null
            : string.Compare(value.Value, c.Value, StringComparison.OrdinalIgnoreCase);
        return c.Operator switch
        {
            "equals" => order == 0,
            "not_equals" => order != 0,
            "contains" => value.Value.Contains(c.Value, StringComparison.OrdinalIgnoreCase),
            "greater_than" => order > 0,
            "less_than" => order < 0,
            _ => false,
        };
    }

    private static bool Same(string a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool IsMatch(Regex pattern, string text, Action? timedOut)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            timedOut?.Invoke();
            return false;
        }
    }
}
