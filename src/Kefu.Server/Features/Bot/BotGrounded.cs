using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Bot;

/// <summary>How the bot turns a <see cref="GroundedAnswer"/> from its <see cref="IUnsureAnswerer"/> into a turn and a reply.</summary>
internal static class BotGrounded
{
    /// <summary>Asked only for a typed question the engine could not answer (it would offer choices or hand off as not known).</summary>
    public static bool IsUnsure(BotDecision decision, BotContext context) =>
        decision.Unanswered && context.Action is null &&
        decision.HandoffReason is null or HandoffReasons.NotKnown or HandoffReasons.RepeatedMisses;

    /// <summary>The turn is an answer from the cited article: not a miss, and the feedback buttons point at that article.</summary>
    public static BotDecision Decision(BotDecision unsure, GroundedAnswer answer) => unsure with
    {
        Outcome = BotOutcome.Answered,
        HandoffReason = null,
        ArticleId = answer.ArticleId,
        Choices = [],
        IsMiss = false,
        Unanswered = false,
    };

    public static BotReply Reply(GroundedAnswer answer, string language)
    {
        var zh = language == "zh-CN";
        return new(answer.Text,
        [
            new(MessageAction.Feedback, "helpful:" + answer.ArticleId, zh ? "有帮助" : "Yes, it helped"),
            new(MessageAction.Feedback, "not_helpful:" + answer.ArticleId, zh ? "没有帮助" : "No"),
        ]);
    }
}
