using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Bot.Contracts;

/// <summary>How the bot decides, section <c>Kefu:Bot</c>.</summary>
public sealed class BotOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Bot";

    /// <summary>
    /// Misses in a row after which the bot hands off instead of trying again. A miss is a question the bot
    /// was unsure about (it offered choices), a "no" to "did this help?", or a message it could not read.
    /// </summary>
    [Range(1, 10)]
    public int MissesBeforeHandoff { get; set; } = 2;

    /// <summary>
    /// Calibrated confidence at or above which the bot answers with the best article. Below it, the bot
    /// offers the best candidates as choices.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AnswerThreshold { get; set; } = 0.5;

    /// <summary>Least confidence for an article to be offered as a choice when the bot is unsure.</summary>
    [Range(0.0, 1.0)]
    public double ChoiceThreshold { get; set; } = 0.1;

    /// <summary>
    /// Least text-search (BM25) score of the best article for a direct answer. The classifier alone is
    /// overconfident on questions that share a character or two with an article (天气 vs 几天); requiring
    /// that the words really match the article stops those answers. Scores grow with the overlap; with the
    /// demo FAQ a clear question scores 8–26 and an off-topic one below 6.
    /// </summary>
    [Range(0.0, 100.0)]
    public double AnswerSearchScore { get; set; } = 6.5;

    /// <summary>
    /// Least text-search (BM25) score for an article to be offered as a choice on search alone (always the
    /// case when the classifier says "out of scope"). Lower finds more, and more noise.
    /// </summary>
    [Range(0.0, 100.0)]
    public double SearchThreshold { get; set; } = 3.5;

    /// <summary>Most choices offered at once.</summary>
    [Range(1, 5)]
    public int MaxChoices { get; set; } = 3;

    /// <summary>
    /// Wait after a knowledge-base change before retraining, so a burst of edits or an import trains once.
    /// Answers keep using the previous model meanwhile.
    /// </summary>
    [TimeSpanRange("00:00:00", "00:10:00")]
    public TimeSpan RetrainDebounce { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a question waits for its workspace's model while it is still being trained in the background right
    /// after a start. Past it the bot's turn fails and the outbox retries it on a later pass (answers are idempotent),
    /// so the visitor gets the answer late instead of a wrong "I don't know".
    /// </summary>
    [TimeSpanRange("00:00:01", "00:01:00")]
    public TimeSpan ModelWait { get; set; } = TimeSpan.FromSeconds(10);
}
