using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;

namespace Kefu.Server.Features.Bot;

/// <summary>One message the bot sends.</summary>
internal sealed record BotReply(string Text, IReadOnlyList<MessageAction>? Actions);

/// <summary>The bot's words, in Simplified Chinese and English, and the buttons that go with them.</summary>
internal static class BotReplies
{
    /// <summary>The bot's replies to one decision.</summary>
    /// <param name="decision">What the bot decided.</param>
    /// <param name="language">The conversation's language.</param>
    /// <param name="knowledge">The workspace's articles.</param>
    /// <param name="agentsAvailable">Whether a hand-off reaches a person now.</param>
    /// <param name="botName">The inbox's bot name (or the language's default), used in the built-in greeting.</param>
    /// <param name="greeting">The inbox's own greeting, which replaces the built-in one; null for the built-in one.</param>
    /// <param name="closed">The inbox is outside its business hours: a hand-off says so instead.</param>
    public static IReadOnlyList<BotReply> For(
        BotDecision decision, string language, KnowledgeSnapshot knowledge, bool agentsAvailable, string botName, string? greeting, InboxClosed? closed = null)
    {
        var zh = Zh(language);
        return decision.Outcome switch
        {
            BotOutcome.Answered when knowledge.Articles.TryGetValue(decision.ArticleId!.Value, out var article) => [Answer(article, zh)],
            BotOutcome.Choices => [Choices(decision.Choices, knowledge, zh)],
            BotOutcome.Greeted => [new(greeting ?? (zh
                ? $"您好！我是{botName}，可以回答订单、配送、退换货、支付和账号方面的问题。需要人工服务时，请输入“转人工”。"
                : $"Hi! I'm {botName}. I can answer questions about orders, shipping, returns, payment and your account. Type \"agent\" any time to talk to a person."), null)],
            BotOutcome.Helpful => [new(zh ? "很高兴能帮到您！还有其他问题吗？" : "Glad that helped! Anything else?", null)],
            BotOutcome.NotHelpful => [new(zh
                ? "抱歉没能帮到您。您可以换个说法再问一次，或者转人工客服。"
                : "Sorry that didn't help. You can ask in other words, or talk to a person.", [Handoff(zh)])],
            BotOutcome.HandedOff => [closed is null ? HandedOff(decision.HandoffReason, zh, agentsAvailable) : Closed(closed, zh)],
            BotOutcome.Acknowledged => [new(zh ? "收到 😊 还有什么可以帮您的吗？" : "Got it 😊 Anything else I can help with?", null)],
            BotOutcome.ReceivedAttachment => [new(zh
                ? "已收到您发送的内容。我看不了图片和文件：请用一两句话告诉我您需要什么帮助，或者转人工客服，由客服为您查看。"
                : "Thanks, I've received it. I can't look at pictures or files myself: tell me in a few words what you need, or talk to a person who can look at it.", [Handoff(zh)])],
            _ => [new(zh ? "抱歉，我没能看懂。能用文字换个说法吗？" : "Sorry, I couldn't read that. Could you put it in words?", [Handoff(zh)])],
        };
    }

    private static BotReply Answer(KnowledgeEntry article, bool zh) => new(article.ChatAnswer,
    [
        new(MessageAction.Feedback, "helpful:" + article.Id, zh ? "有帮助" : "Yes, it helped"),
        new(MessageAction.Feedback, "not_helpful:" + article.Id, zh ? "没有帮助" : "No"),
    ]);

    private static BotReply Choices(IReadOnlyList<Guid> ids, KnowledgeSnapshot knowledge, bool zh)
    {
        var actions = ids.Where(knowledge.Articles.ContainsKey)
            .Select(id => new MessageAction(MessageAction.Choice, "article:" + id, Label(knowledge.Articles[id].Question)))
            .Append(Handoff(zh))
            .ToList();
        return new(zh ? "您想问的是下面哪个问题？请点击选择，或者换个说法。" : "Did you mean one of these? Pick one, or ask in other words.", actions);
    }

    private static BotReply HandedOff(string? reason, bool zh, bool agentsAvailable)
    {
        if (!agentsAvailable)
        {
            // A voice message is passed on either way: say so first, then that nobody is there yet.
            var voice = reason != HandoffReasons.Voice ? ""
                : zh ? "我暂时听不了语音消息，已把您的语音转给人工客服。" : "I can't listen to voice messages myself, so I've passed yours to our team. ";
            return new(voice + (zh
                ? "现在没有客服在线。请直接留言，写下您的问题和联系方式（电话或邮箱），客服上线后会尽快回复您。"
                : "No one from our team is available right now. Please leave a message with your question and how to reach you (phone or e-mail); we will reply as soon as we can."), null);
        }

        if (reason == HandoffReasons.Voice)
        {
            return new(zh
                ? "我暂时听不了语音消息，已把您的语音转给人工客服，请稍候。"
                : "I can't listen to voice messages myself, so I'm passing yours to a person. Please wait a moment.", null);
        }

        var sorry = reason == HandoffReasons.Angry
            ? zh ? "非常抱歉给您带来不好的体验。" : "I'm sorry about this experience. "
            : "";
        return new(sorry + (zh
            ? "正在为您转接人工客服，请稍候。客服会看到我们之前的对话，您不用再重复。"
            : "I'm connecting you with a person now. They will see our conversation, so you won't need to repeat yourself."), null);
    }

    /// <summary>The inbox's own words for after hours in the visitor's language, or the built-in text for what routing will do.</summary>
    private static BotReply Closed(InboxClosed closed, bool zh)
    {
        var own = zh ? closed.MessageZh : closed.MessageEn;
        if (!string.IsNullOrWhiteSpace(own))
        {
            return new(own, null);
        }

        return new((closed.LeaveMessage, zh) switch
        {
            (true, true) => "现在是非工作时间。请直接留言，写下您的问题和联系方式（电话或邮箱），我们上班后会尽快回复您。",
            (true, false) => "We're closed right now. Please leave a message with your question and how to reach you (phone or e-mail); we will reply as soon as we're back.",
            (false, true) => "现在是非工作时间。请保留此对话，我们上班后会第一时间为您转接人工客服。",
            (false, false) => "We're closed right now. Keep this chat open: a person will pick it up as soon as we're back.",
        }, null);
    }

    private static MessageAction Handoff(bool zh) => new(MessageAction.Handoff, "handoff", zh ? "转人工客服" : "Talk to a person");

    private static string Label(string question) => question.Length <= 80 ? question : string.Concat(question.AsSpan(0, 79), "…");

    private static bool Zh(string language) => language == "zh-CN";
}
