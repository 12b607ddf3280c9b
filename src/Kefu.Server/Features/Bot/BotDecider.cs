using Kefu.Nlu;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Bot;

/// <summary>
/// The bot's rules, free of I/O so they are unit-tested: a request for a person or an angry message hands
/// off; a confident classification whose words also match the article answers; an unsure one offers
/// choices (a miss, and the last allowed miss hands off); a question nothing matches hands off as not known.
/// Emoji alone and pictures are not questions: acknowledged, never misses.
/// </summary>
internal sealed class BotDecider(IOptions<BotOptions> options)
{
    private static readonly HashSet<string> Greetings = new(StringComparer.Ordinal)
    {
        "hi", "hello", "hey", "hi there", "hello there", "good morning", "good afternoon", "good evening",
        "你好", "您好", "你好啊", "在吗", "在么", "在不在", "哈喽", "嗨", "早上好", "下午好", "晚上好",
    };

    public BotDecision Decide(BotInput input) => DecideText(input) with
    {
        Intents = input.Prediction?.Top.Select(t => (Id: Guid.TryParse(t.Label, out var g) ? g : Guid.Empty, t.Score))
            .Where(t => t.Id != Guid.Empty).ToList() ?? [],
    };

    private BotDecision DecideText(BotInput input)
    {
        var o = options.Value;
        var sentiment = Sentiment.Analyze(input.Text);
        if (HandoffRequest.IsRequest(input.Text))
        {
            return HandOff(HandoffReasons.Requested, sentiment, input.Prediction, isMiss: false, unanswered: false);
        }

        if (sentiment.IsAngry)
        {
            return HandOff(HandoffReasons.Angry, sentiment, input.Prediction, isMiss: false, unanswered: false);
        }

        var normalized = TextNormalizer.Normalize(input.Text);
        if (normalized.Length == 0 && input.HasAttachment)
        {
            // A picture or a file alone is not a question the bot failed: it says so and offers a person.
            return new BotDecision(BotOutcome.ReceivedAttachment, null, null, [], false, false, 0, sentiment);
        }

        if (normalized.Length == 0 && Emoji.IsOnlyEmoji(input.Text))
        {
            // "👍" after an answer is a reaction: counting it as a miss handed satisfied visitors to people.
            return new BotDecision(BotOutcome.Acknowledged, null, null, [], false, false, 0, sentiment);
        }

        if (normalized.Length == 0)
        {
            // Nothing to read (control characters, only punctuation): ask again, and count it so junk cannot loop forever.
            return input.PreviousMisses + 1 >= o.MissesBeforeHandoff
                ? HandOff(HandoffReasons.RepeatedMisses, sentiment, null, isMiss: true, unanswered: false)
                : new BotDecision(BotOutcome.Rephrase, null, null, [], true, false, 0, sentiment);
        }

        if (input.IsFirstTurn && Greetings.Contains(normalized))
        {
            return new BotDecision(BotOutcome.Greeted, null, null, [], false, false, 0, sentiment);
        }

        var prediction = input.Prediction;
        var best = prediction?.Top.Count > 0 ? prediction.Top[0] : null;
        if (prediction is { IsOutOfScope: false } && best is not null && prediction.Confidence >= o.AnswerThreshold &&
            Support(input, best.Label) >= o.AnswerSearchScore && Guid.TryParse(best.Label, out var answer))
        {
            return new BotDecision(BotOutcome.Answered, null, answer, [], false, false, prediction.Confidence, sentiment);
        }

        var choices = Candidates(input, o);
        var confidence = prediction?.Confidence ?? 0;
        if (choices.Count == 0)
        {
            return HandOff(HandoffReasons.NotKnown, sentiment, prediction, isMiss: true, unanswered: true);
        }

        return input.PreviousMisses + 1 >= o.MissesBeforeHandoff
            ? HandOff(HandoffReasons.RepeatedMisses, sentiment, prediction, isMiss: true, unanswered: true) with { Choices = choices }
            : new BotDecision(BotOutcome.Choices, null, null, choices, true, true, confidence, sentiment);
    }

    /// <summary>The visitor pressed a button under a bot message.</summary>
    public BotDecision DecideAction(MessageAction action, int previousMisses, Func<Guid, bool> articleExists)
    {
        var (kind, id) = ParseActionId(action.Id);
        var known = id is { } articleId && articleExists(articleId);
        return kind switch
        {
            "handoff" => HandOff(HandoffReasons.Requested, BotDecision.Neutral, null, isMiss: false, unanswered: false),
            "article" when known => new BotDecision(BotOutcome.Answered, null, id, [], false, false, 1, BotDecision.Neutral),
            "helpful" => new BotDecision(BotOutcome.Helpful, null, id, [], false, false, 0, BotDecision.Neutral),
            "not_helpful" when previousMisses + 1 >= options.Value.MissesBeforeHandoff =>
                HandOff(HandoffReasons.RepeatedMisses, BotDecision.Neutral, null, isMiss: true, unanswered: false) with { ArticleId = id },
            "not_helpful" => new BotDecision(BotOutcome.NotHelpful, null, id, [], true, false, 0, BotDecision.Neutral),

            // An article deleted since the button was shown: ask again rather than answer nothing.
            _ => new BotDecision(BotOutcome.Rephrase, null, null, [], true, false, 0, BotDecision.Neutral),
        };
    }

    /// <summary>Splits <c>article:{id}</c>, <c>helpful:{id}</c>, <c>not_helpful:{id}</c> or <c>handoff</c>.</summary>
    public static (string Kind, Guid? ArticleId) ParseActionId(string actionId)
    {
        var colon = actionId.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (actionId, null)
            : (actionId[..colon], Guid.TryParse(actionId.AsSpan(colon + 1), out var id) ? id : null);
    }

    /// <summary>
    /// Choices when unsure: the classifier's candidates that share at least some words with the question
    /// (only when it is in scope: out of scope, its ranking is noise), then articles found by text search alone.
    /// </summary>
    private static List<Guid> Candidates(BotInput input, BotOptions o)
    {
        var ids = new List<string>();
        if (input.Prediction is { IsOutOfScope: false } p)
        {
            ids.AddRange(p.Top.Where(t => t.Score >= o.ChoiceThreshold && Support(input, t.Label) > 0).Select(t => t.Label));
        }

        ids.AddRange(input.Hits.Where(h => h.Score >= o.SearchThreshold).Select(h => h.Id));
        return ids.Distinct(StringComparer.Ordinal)
            .Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty)
            .Where(g => g != Guid.Empty)
            .Take(o.MaxChoices)
            .ToList();
    }

    private static double Support(BotInput input, string label) => input.Hits.FirstOrDefault(h => h.Id == label)?.Score ?? 0;

    private static BotDecision HandOff(string reason, SentimentResult sentiment, IntentPrediction? prediction, bool isMiss, bool unanswered) =>
        new(BotOutcome.HandedOff, reason, null, [], isMiss, unanswered, prediction?.Confidence ?? 0, sentiment);
}
