using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Bot.Contracts;

/// <summary>Why the bot handed a conversation to people.</summary>
public static class HandoffReasons
{
    /// <summary>The visitor asked for a person (人工, 转人工, agent, human …) or pressed "talk to a person".</summary>
    public const string Requested = "requested";

    /// <summary>The message was clearly angry.</summary>
    public const string Angry = "angry";

    /// <summary>No article fits the question.</summary>
    public const string NotKnown = "not_known";

    /// <summary>Misses in a row reached <c>Kefu:Bot:MissesBeforeHandoff</c>.</summary>
    public const string RepeatedMisses = "repeated_misses";

    /// <summary>A bot flow handed off: its hand-off step, or a failure with no fail step.</summary>
    public const string Flow = "flow";

    /// <summary>A voice message without words (no speech endpoint, or it failed): a person listens to it (ADR 0039).</summary>
    public const string Voice = "voice";

    /// <summary>A bot flow could not go on (its step budget ran out, or its version is gone).</summary>
    public const string FlowError = "flow_error";
}

/// <summary>The context the bot hands to people, shown at the top of the conversation.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Reason">See <see cref="HandoffReasons"/>.</param>
/// <param name="AgentsAvailable">False when nobody was available and the bot took a message.</param>
/// <param name="CreatedAt">Hand-off time, UTC.</param>
/// <param name="Transcript">The conversation up to the hand-off, oldest first (the last 50 messages).</param>
/// <param name="Intents">
/// What the bot understood from the last question, best first: only intents above the language model's calibrated
/// out-of-scope threshold. Empty means no clear intent.
/// </param>
/// <param name="ArticlesShown">Articles the visitor has already seen as answers or choices.</param>
/// <param name="Sentiment">Mood of the visitor's messages.</param>
/// <param name="Flow">When a bot flow handed off: the flow, the skill asked for and everything it collected.</param>
public sealed record HandoffPacketDto(
    Guid ConversationId,
    string Reason,
    bool AgentsAvailable,
    DateTime CreatedAt,
    IReadOnlyList<TranscriptLineDto> Transcript,
    IReadOnlyList<IntentScoreDto> Intents,
    IReadOnlyList<ArticleRefDto> ArticlesShown,
    SentimentDto Sentiment,
    FlowPacketDto? Flow = null);

/// <summary>The bot flow part of a hand-off packet.</summary>
/// <param name="FlowId">The flow.</param>
/// <param name="Name">Its name.</param>
/// <param name="Version">The version the conversation ran.</param>
/// <param name="Skill">The skill the hand-off step asked for, if any.</param>
/// <param name="Variables">Everything collected (slots, choices, fields mapped from HTTP actions).</param>
public sealed record FlowPacketDto(Guid FlowId, string Name, int Version, string? Skill, IReadOnlyDictionary<string, string> Variables);

/// <summary>One message of a hand-off transcript.</summary>
/// <param name="Seq">Position in the conversation.</param>
/// <param name="Sender">Who wrote it.</param>
/// <param name="Text">Its text (up to 500 characters).</param>
/// <param name="CreatedAt">When, UTC.</param>
public sealed record TranscriptLineDto(long Seq, SenderType Sender, string Text, DateTime CreatedAt);

/// <summary>An intent the bot detected clearly (above its calibrated threshold), with its confidence.</summary>
/// <param name="ArticleId">Article id.</param>
/// <param name="Question">Its question.</param>
/// <param name="Score">Calibrated confidence, 0–1.</param>
/// <param name="Confidence">The confidence in words: <c>high</c> (very likely), <c>medium</c> (likely) or <c>low</c> (possibly).</param>
public sealed record IntentScoreDto(Guid ArticleId, string Question, double Score, string? Confidence = null);

/// <summary>An article by id and question.</summary>
/// <param name="Id">Article id.</param>
/// <param name="Question">Its question.</param>
public sealed record ArticleRefDto(Guid Id, string Question);

/// <summary>Mood of the visitor's messages.</summary>
/// <param name="Score">Of the message that caused the hand-off: −1 very negative … 1 positive.</param>
/// <param name="Lowest">The most negative score among the visitor's messages.</param>
/// <param name="IsAngry">True when any message was clearly angry.</param>
/// <param name="Cues">Words and signals that were noticed.</param>
public sealed record SentimentDto(double Score, double Lowest, bool IsAngry, IReadOnlyList<string> Cues);

/// <summary>Bot figures for admins over a period.</summary>
/// <param name="From">Start, UTC.</param>
/// <param name="To">End, UTC.</param>
/// <param name="BotConversations">Conversations the bot took part in.</param>
/// <param name="Contained">Of these, conversations never handed off and never answered by a person.</param>
/// <param name="ContainmentRate">Contained / bot conversations (0 when none).</param>
/// <param name="HandoffReasons">Hand-offs by reason, most frequent first.</param>
/// <param name="Helpful">"Did this help?" yes answers (chat and self-service).</param>
/// <param name="NotHelpful">"Did this help?" no answers.</param>
/// <param name="HelpfulRatio">Helpful / all answers (0 when none).</param>
/// <param name="Unanswered">Questions the bot could not answer with confidence, grouped by similarity, largest group first.</param>
public sealed record BotAnalyticsDto(
    DateTime From,
    DateTime To,
    int BotConversations,
    int Contained,
    double ContainmentRate,
    IReadOnlyList<ReasonCountDto> HandoffReasons,
    int Helpful,
    int NotHelpful,
    double HelpfulRatio,
    IReadOnlyList<UnansweredGroupDto> Unanswered);

/// <summary>How many hand-offs had one reason.</summary>
/// <param name="Reason">See <see cref="HandoffReasons"/>.</param>
/// <param name="Count">Hand-offs.</param>
public sealed record ReasonCountDto(string Reason, int Count);

/// <summary>Similar unanswered questions: a candidate for a new FAQ entry.</summary>
/// <param name="Question">The most typical question of the group (suggested FAQ question).</param>
/// <param name="Count">Questions in the group.</param>
/// <param name="Examples">Other questions of the group (suggested phrasings), up to 10.</param>
/// <param name="Language">Language of the representative question.</param>
public sealed record UnansweredGroupDto(string Question, int Count, IReadOnlyList<string> Examples, string Language);
