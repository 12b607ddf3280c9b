using Kefu.Nlu;

namespace Kefu.Server.Features.Bot;

/// <summary>What the bot knows when it decides about one typed message.</summary>
/// <param name="Text">The visitor's text (may be empty when only a file was sent).</param>
/// <param name="IsFirstTurn">No earlier bot turn in this conversation.</param>
/// <param name="PreviousMisses">Misses in a row just before this message.</param>
/// <param name="Prediction">The classifier's answer, or null when the workspace has no published article.</param>
/// <param name="Hits">Text search hits, best first (ask for a few more than <see cref="Contracts.BotOptions.MaxChoices"/>).</param>
/// <param name="HasAttachment">The message carries a picture or a file.</param>
internal sealed record BotInput(string Text, bool IsFirstTurn, int PreviousMisses, IntentPrediction? Prediction, IReadOnlyList<ArticleHit> Hits, bool HasAttachment = false);

/// <summary>The bot's decision for one visitor message.</summary>
/// <param name="Outcome">What it does.</param>
/// <param name="HandoffReason">Set when <see cref="Outcome"/> is <see cref="BotOutcome.HandedOff"/>.</param>
/// <param name="ArticleId">The article answered, or the article the feedback is about.</param>
/// <param name="Choices">Articles offered as choices, best first.</param>
/// <param name="IsMiss">Counts toward the misses in a row.</param>
/// <param name="Unanswered">A typed question the bot could not answer with confidence.</param>
/// <param name="Confidence">The classifier's confidence in its best intent (0 when not classified).</param>
/// <param name="Sentiment">Mood of the message.</param>
internal sealed record BotDecision(
    BotOutcome Outcome,
    string? HandoffReason,
    Guid? ArticleId,
    IReadOnlyList<Guid> Choices,
    bool IsMiss,
    bool Unanswered,
    double Confidence,
    SentimentResult Sentiment)
{
    public static readonly SentimentResult Neutral = new(0, false, []);

    /// <summary>The classifier's best intents (article ids) with confidences, for the hand-off packet.</summary>
    public IReadOnlyList<(Guid Id, double Score)> Intents { get; init; } = [];
}
