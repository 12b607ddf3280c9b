using Kefu.Nlu;
using Kefu.Server.Features.Bot;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Knowledge;
using Kefu.Server.Features.Knowledge.Contracts;
using Microsoft.Extensions.Options;

namespace Kefu.UnitTests.Bot;

/// <summary>The demo FAQ trained as the bot trains it: the questions the demo and the browser test rely on.</summary>
public sealed class DemoKnowledgeTests
{
    private static readonly KnowledgeSnapshot Knowledge = KnowledgeTrainer.Train(DemoKnowledge.Articles(Guid.NewGuid(), DateTime.UtcNow).ToList(), DateTime.UtcNow);
    private readonly BotDecider _decider = new(Options.Create(new BotOptions()));

    [Theory]
    [InlineData("我的订单到哪里了？", "怎么查询我的订单状态？")]
    [InlineData("运费多少钱", "运费怎么算？")]
    [InlineData("忘记密码了怎么办", "忘记密码怎么办？")]
    [InlineData("可以用支付宝付款吗", "支持哪些付款方式？")]
    [InlineData("Where is my order?", "How do I check my order status?")]
    [InlineData("how much is shipping", "How much is shipping?")]
    public void ClearQuestion_IsAnsweredWithItsArticle(string question, string expected)
    {
        var decision = Decide(question);

        Assert.Equal(BotOutcome.Answered, decision.Outcome);
        Assert.Equal(expected, Knowledge.Articles[decision.ArticleId!.Value].Question);
    }

    [Theory]
    [InlineData("给我讲个笑话")]
    [InlineData("what is the weather")]
    [InlineData("asdfgh")]
    public void UnrelatedQuestion_IsNotKnown(string question) =>
        Assert.Equal("not_known", Decide(question).HandoffReason);

    [Fact]
    public void EveryLanguageHasItsModel_AndEveryArticleIsAnAnswer()
    {
        Assert.Equal("zh-CN", Knowledge.For("zh-CN")!.Language);
        Assert.Equal("en", Knowledge.For("en")!.Language);
        Assert.Equal(20, Knowledge.Articles.Count);
        Assert.All(Knowledge.Articles.Values, a => Assert.DoesNotContain("**", a.PlainAnswer));
    }

    [Fact]
    public void IntentConfidence_InWords_FollowsTheCalibratedThreshold()
    {
        var model = Knowledge.For("zh-CN")!.Intents;
        var between = model.Predict("退货退款"); // two articles share the words
        var unknown = model.Predict("给我讲个笑话");

        Assert.InRange(model.OutOfScopeThreshold, 0.2, 0.8);
        Assert.Equal(IntentConfidence.Medium, model.Describe(between.Top[0].Score));
        Assert.Equal(IntentConfidence.Unclear, model.Describe(between.Top[1].Score));
        Assert.All(unknown.Top, t => Assert.Equal(IntentConfidence.Unclear, model.Describe(t.Score)));
        Assert.Equal(IntentConfidence.High, model.Describe(model.Predict("运费多少钱").Confidence));
    }

    [Fact]
    public void ChatAnswers_KeepBold_WithoutGapsInChinese_AndPlainAnswersHaveNoMarks()
    {
        var orders = Knowledge.Articles.Values.Single(a => a.Question == "怎么查询我的订单状态？");

        Assert.StartsWith("登录后进入**我的订单**，点击订单", orders.ChatAnswer);
        Assert.StartsWith("登录后进入我的订单，点击订单", orders.PlainAnswer);
    }

    private BotDecision Decide(string question)
    {
        var model = Knowledge.For(ArticleRules.DetectLanguage(question))!;
        return _decider.Decide(new BotInput(question, false, 0, model.Intents.Predict(question), model.Index.Search(question, 8)));
    }
}
