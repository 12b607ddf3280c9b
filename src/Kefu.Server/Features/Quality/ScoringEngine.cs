using System.Globalization;
using System.Text.RegularExpressions;
using Kefu.Nlu;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Quality.Contracts;

namespace Kefu.Server.Features.Quality;

/// <summary>One item's automatic result.</summary>
internal readonly record struct RuleResult(string Outcome, Guid? MessageId = null, string? Detail = null)
{
    public static RuleResult NotApplicable(string? detail = null) => new(ItemOutcomes.NotApplicable, null, detail);
}

/// <summary>
/// Scores a conversation script by a compiled scorecard. Pure: no clock, no database; every time comes from the script.
/// Each rule's exact definition is in <c>docs/quality.md</c>, and the unit tests walk each one on scripted conversations.
/// </summary>
internal static class ScoringEngine
{
    /// <summary>A visitor message whose sentiment is at or below this (or angry) counts as upset for <c>empathy</c>.</summary>
    public const double UpsetBelow = -0.3;

    public static List<ItemResultDto> Score(CompiledScorecard card, ConversationScript script) =>
        [.. card.Items.Select(item => ToDto(item, Evaluate(item, script)))];

    private static ItemResultDto ToDto(CompiledItem item, RuleResult r) =>
        new(item.Index, item.Item.Rule, item.Label, item.Item.Weight, r.Outcome, r.MessageId, r.Detail);

    /// <summary>
    /// 100 × the weight of the items that passed over the weight of the items that apply (pass or fail), one decimal;
    /// null when none applies. Overrides count instead of the automatic outcome when <paramref name="withOverrides"/>.
    /// </summary>
    public static double? Total(IEnumerable<ItemResultDto> items, bool withOverrides)
    {
        double applicable = 0, passed = 0;
        foreach (var item in items)
        {
            var outcome = withOverrides ? item.Effective : item.Outcome;
            if (outcome == ItemOutcomes.NotApplicable)
            {
                continue;
            }

            applicable += item.Weight;
            passed += outcome == ItemOutcomes.Pass ? item.Weight : 0;
        }

        return applicable <= 0 ? null : Math.Round(100 * passed / applicable, 1);
    }

    public static RuleResult Evaluate(CompiledItem item, ConversationScript s)
    {
        var p = item.Item.Parameters ?? new ItemParameters();
        return item.Item.Rule switch
        {
            QualityRules.Greeting => Greeting(s, p.Seconds ?? 30, item.Phrases!),
            QualityRules.FirstResponse => FirstResponse(s, p.Seconds ?? 60),
            QualityRules.ReplyGap => ReplyGap(s, p.Minutes ?? 5),
            QualityRules.ForbiddenWords => FirstAgentMessage(s, m => item.Phrases!.FindFirst(m.Text)),
            QualityRules.ForbiddenPattern => FirstAgentMessage(s, m => Match(item.Pattern!, m.Text)),
            QualityRules.RequiredPhrase => Required(s, item.Phrases!, p.Scope == "closing"),
            QualityRules.NoPersonalData => FirstAgentMessage(s, m => m.MaskedValues > 0 || PersonalDataFinder.ContainsNumber(m.Text) ? "personal_data" : null),
            QualityRules.MaxTransfers => MaxTransfers(s, p.Max ?? 1),
            QualityRules.CsatAnswered => s.Events.Any(e => e.Type == SurveyAnswered.Name && e.SurveyKind == "csat")
                ? new RuleResult(ItemOutcomes.Pass) : new RuleResult(ItemOutcomes.Fail),
            QualityRules.ResolutionConfirmed => Confirmed(s, item.Phrases!),
            QualityRules.Empathy => Empathy(s, item.Phrases!),
            _ => RuleResult.NotApplicable("unknown_rule"),
        };
    }

    private static IEnumerable<ScriptMessage> Agents(ConversationScript s) => s.Messages.Where(m => m.Sender == SenderType.Agent);

    private static string Seconds(TimeSpan t) => ((int)Math.Round(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + " s";

    /// <summary>The clock starts when an agent first held it (or at the first agent message); the first agent message must greet within N seconds.</summary>
    private static RuleResult Greeting(ConversationScript s, int seconds, TermMatcher phrases)
    {
        var first = Agents(s).FirstOrDefault();
        if (first is null)
        {
            return RuleResult.NotApplicable();
        }

        var start = s.Events.FirstOrDefault(e => e.Type == ConversationAssigned.Name)?.At ?? first.At;
        var took = first.At - start;
        if (took < TimeSpan.Zero)
        {
            took = TimeSpan.Zero; // an agent who wrote before being assigned (a reply takes it) greeted at once
        }

        return phrases.FindFirst(first.Text) is not null && took.TotalSeconds <= seconds
            ? new(ItemOutcomes.Pass, first.Id, Seconds(took))
            : new(ItemOutcomes.Fail, first.Id, Seconds(took));
    }

    /// <summary>From the first visitor message that reached a person (or the bot's hand-off) to the next agent message.</summary>
    private static RuleResult FirstResponse(ConversationScript s, int seconds)
    {
        var handOff = s.Events.FirstOrDefault(e => e.Type == ConversationHandedOff.Name);
        var firstMessage = s.Messages.FirstOrDefault(m => m.Sender is SenderType.Visitor or SenderType.Agent);
        if (firstMessage is null || firstMessage.Sender == SenderType.Agent && handOff is null)
        {
            return RuleResult.NotApplicable(); // nobody wrote, or an agent opened it: no one waited for a first response
        }

        var botInvolved = s.Messages.Any(m => m.Sender == SenderType.Bot);
        if (botInvolved && handOff is null)
        {
            return RuleResult.NotApplicable(); // the bot handled it alone
        }

        var clock = handOff?.At ?? firstMessage.At;
        var reply = Agents(s).FirstOrDefault(m => m.At >= clock);
        if (reply is null)
        {
            var waiting = s.Messages.FirstOrDefault(m => m.Sender == SenderType.Visitor && m.At >= clock) ?? firstMessage;
            return new(ItemOutcomes.Fail, waiting.Id, "no_reply");
        }

        var took = reply.At - clock;
        return new(took.TotalSeconds <= seconds ? ItemOutcomes.Pass : ItemOutcomes.Fail, reply.Id, Seconds(took));
    }

    /// <summary>
    /// Each visitor turn after the first agent message (the first visitor message after an agent's) waits for the next
    /// agent message; a turn nobody answered before the resolution does not count (the visitor's "thanks, bye").
    /// </summary>
    private static RuleResult ReplyGap(ConversationScript s, int minutes)
    {
        DateTime? turn = null;
        var agentSpoke = false;
        TimeSpan longest = TimeSpan.Zero;
        var pairs = 0;
        foreach (var m in s.Messages)
        {
            if (m.Sender == SenderType.Agent)
            {
                if (turn is { } started)
                {
                    pairs++;
                    var gap = m.At - started;
                    if (gap.TotalMinutes > minutes)
                    {
                        return new(ItemOutcomes.Fail, m.Id, Seconds(gap));
                    }

                    longest = gap > longest ? gap : longest;
                }

                (agentSpoke, turn) = (true, null);
            }
            else if (m.Sender == SenderType.Visitor && agentSpoke && turn is null)
            {
                turn = m.At;
            }
        }

        return pairs == 0 ? RuleResult.NotApplicable() : new(ItemOutcomes.Pass, null, Seconds(longest));
    }

    /// <summary>Fails on the first agent message for which <paramref name="finds"/> returns a note; not applicable without agent messages.</summary>
    private static RuleResult FirstAgentMessage(ConversationScript s, Func<ScriptMessage, string?> finds)
    {
        var any = false;
        foreach (var m in Agents(s))
        {
            any = true;
            if (finds(m) is { } found)
            {
                return new(ItemOutcomes.Fail, m.Id, found);
            }
        }

        return any ? new(ItemOutcomes.Pass) : RuleResult.NotApplicable();
    }

    private static string? Match(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text) ? "pattern" : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null; // cannot happen without backtracking; if it did, a slow text is not an agent's fault
        }
    }

    private static RuleResult Required(ConversationScript s, TermMatcher phrases, bool closing)
    {
        var agents = Agents(s).ToList();
        if (agents.Count == 0)
        {
            return RuleResult.NotApplicable();
        }

        if (closing)
        {
            var last = agents[^1];
            return phrases.FindFirst(last.Text) is { } found ? new(ItemOutcomes.Pass, last.Id, found) : new(ItemOutcomes.Fail, last.Id);
        }

        foreach (var m in agents)
        {
            if (phrases.FindFirst(m.Text) is { } found)
            {
                return new(ItemOutcomes.Pass, m.Id, found);
            }
        }

        return new(ItemOutcomes.Fail);
    }

    private static RuleResult MaxTransfers(ConversationScript s, int max)
    {
        var count = s.Events.Count(e => e.Type == ConversationTransferred.Name);
        return new(count <= max ? ItemOutcomes.Pass : ItemOutcomes.Fail, null, count.ToString(CultureInfo.InvariantCulture));
    }

    private static RuleResult Confirmed(ConversationScript s, TermMatcher phrases)
    {
        var any = false;
        foreach (var m in s.Messages.Where(m => m.Sender == SenderType.Visitor))
        {
            any = true;
            if (phrases.FindFirst(m.Text) is { } found)
            {
                return new(ItemOutcomes.Pass, m.Id, found);
            }
        }

        return any ? new(ItemOutcomes.Fail) : RuleResult.NotApplicable();
    }

    /// <summary>The first upset visitor message (Kefu.Nlu's sentiment) must be followed by an agent message with an empathy phrase.</summary>
    private static RuleResult Empathy(ConversationScript s, TermMatcher phrases)
    {
        ScriptMessage? upset = null;
        foreach (var m in s.Messages)
        {
            if (upset is null)
            {
                if (m.Sender == SenderType.Visitor && Sentiment.Analyze(m.Text) is var mood && (mood.IsAngry || mood.Score <= UpsetBelow))
                {
                    upset = m;
                }
            }
            else if (m.Sender == SenderType.Agent && phrases.FindFirst(m.Text) is { } found)
            {
                return new(ItemOutcomes.Pass, m.Id, found);
            }
        }

        return upset is null ? RuleResult.NotApplicable() : new(ItemOutcomes.Fail, upset.Id, "upset");
    }
}
