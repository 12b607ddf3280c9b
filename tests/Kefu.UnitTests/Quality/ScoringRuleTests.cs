using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Quality;
using Kefu.Server.Features.Quality.Contracts;

namespace Kefu.UnitTests.Quality;

/// <summary>Every scorecard rule on scripted conversations: pass, fail and not applicable, and the message that decided it.</summary>
public sealed class ScoringRuleTests
{
    private static ScriptedConversation Talk() => new();

    [Fact]
    public void Greeting_WithinItsSecondsOfTheAssignment_Passes_Late_OrWithoutAGreeting_Fails()
    {
        var on = Talk().Visitor("在吗").Event(ConversationAssigned.Name).After(10).AgentSays("您好，请问有什么可以帮您？");
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, on.Last, "10 s"), on.Score(QualityRules.Greeting, new(Seconds: 30)));

        var late = Talk().Visitor("hello?").Event(ConversationAssigned.Name).After(45).AgentSays("Hello, how can I help?");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, late.Last, "45 s"), late.Score(QualityRules.Greeting, new(Seconds: 30)));

        var rude = Talk().Visitor("hello?").Event(ConversationAssigned.Name).After(5).AgentSays("order number");
        Assert.Equal(ItemOutcomes.Fail, rude.Score(QualityRules.Greeting, new(Seconds: 30)).Outcome);

        var custom = Talk().Event(ConversationAssigned.Name).After(5).AgentSays("Aloha from Kefu");
        Assert.Equal(ItemOutcomes.Pass, custom.Score(QualityRules.Greeting, new(Seconds: 30, Phrases: ["ALOHA"])).Outcome);

        Assert.Equal(ItemOutcomes.NotApplicable, Talk().Visitor("hi").Bot("Hi, I am the bot").Score(QualityRules.Greeting).Outcome);
    }

    [Fact]
    public void FirstResponse_CountsFromTheFirstVisitorMessage_OrTheHandOff_AndIsNotApplicableToTheBotAlone()
    {
        var fast = Talk().Visitor("hi").After(50).AgentSays("hello");
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, fast.Last, "50 s"), fast.Score(QualityRules.FirstResponse, new(Seconds: 60)));

        var slow = Talk().Visitor("hi").After(61).AgentSays("hello");
        Assert.Equal(ItemOutcomes.Fail, slow.Score(QualityRules.FirstResponse, new(Seconds: 60)).Outcome);

        // The bot talked for ten minutes; the clock starts at the hand-off.
        var bot = Talk().Visitor("hi").Bot("hi").After(600).Visitor("human please").Event(ConversationHandedOff.Name).After(20).AgentSays("here");
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, bot.Last, "20 s"), bot.Score(QualityRules.FirstResponse, new(Seconds: 60)));

        var ignored = Talk().Visitor("anyone?");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, ignored.Last, "no_reply"), ignored.Score(QualityRules.FirstResponse));

        Assert.Equal(ItemOutcomes.NotApplicable, Talk().Visitor("hi").Bot("answer").Score(QualityRules.FirstResponse).Outcome);
        Assert.Equal(ItemOutcomes.NotApplicable, Talk().AgentSays("Your order shipped").Score(QualityRules.FirstResponse).Outcome);
    }

    [Fact]
    public void ReplyGap_FailsOnTheFirstLateReply_AndIgnoresTheVisitorsLastWord()
    {
        var ok = Talk().Visitor("hi").AgentSays("hello").After(60).Visitor("q1").After(240).AgentSays("a1").Visitor("thanks, bye").After(3600);
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, null, "240 s"), ok.Score(QualityRules.ReplyGap, new(Minutes: 5)));

        var late = Talk().Visitor("hi").AgentSays("hello").Visitor("q1").After(200).Visitor("still there?").After(200).AgentSays("sorry");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, late.Last, "400 s"), late.Score(QualityRules.ReplyGap, new(Minutes: 5)));

        Assert.Equal(ItemOutcomes.NotApplicable, Talk().Visitor("hi").AgentSays("hello").Score(QualityRules.ReplyGap).Outcome);
    }

    [Fact]
    public void ForbiddenWords_MatchChineseAndEnglish_CaseInsensitive_InAgentMessagesOnly()
    {
        ItemParameters words = new(Phrases: ["滚", "Stupid", "不关我事"]);
        var visitorSwears = Talk().Visitor("you are STUPID").AgentSays("I am sorry to hear that");
        Assert.Equal(ItemOutcomes.Pass, visitorSwears.Score(QualityRules.ForbiddenWords, words).Outcome);

        var agent = Talk().Visitor("退款呢").AgentSays("稍等").AgentSays("这个不关我事");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, agent.Last, "不关我事"), agent.Score(QualityRules.ForbiddenWords, words));

        var english = Talk().AgentSays("That was a stupid question");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, english.Last, "stupid"), english.Score(QualityRules.ForbiddenWords, words));
        Assert.Equal(ItemOutcomes.NotApplicable, Talk().Visitor("滚").Score(QualityRules.ForbiddenWords, words).Outcome);
    }

    [Fact]
    public void ForbiddenPattern_RunsWithoutBacktracking_EvenOnAPathologicalPattern()
    {
        var script = Talk().AgentSays("ok").AgentSays("call me at home");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, script.Last, "pattern"), script.Score(QualityRules.ForbiddenPattern, new(Pattern: @"call\s+me")));

        // (a+)+$ backtracks exponentially on "aaaa…!" in the default engine; here it is linear and returns at once.
        var evil = Talk().AgentSays(new string('a', 50_000) + "!");
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(ItemOutcomes.Pass, evil.Score(QualityRules.ForbiddenPattern, new(Pattern: "^(a+)+$")).Outcome);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
    }

    [Fact]
    public void RequiredPhrase_AnyMessage_OrTheClosingOnly()
    {
        ItemParameters closing = new(Phrases: ["还有其他问题吗", "anything else"], Scope: "closing");
        var closed = Talk().AgentSays("hello").AgentSays("Done. Anything else I can do?");
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, closed.Last, "anything else"), closed.Score(QualityRules.RequiredPhrase, closing));

        var early = Talk().AgentSays("还有其他问题吗").AgentSays("好的");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, early.Last, null), early.Score(QualityRules.RequiredPhrase, closing));
        Assert.Equal(ItemOutcomes.Pass, early.Score(QualityRules.RequiredPhrase, closing with { Scope = "any" }).Outcome);

        ItemParameters name = new(Phrases: ["工号"]);
        var noName = Talk().AgentSays("您好");
        Assert.Equal(ItemOutcomes.Fail, noName.Score(QualityRules.RequiredPhrase, name).Outcome);
        Assert.Equal(ItemOutcomes.NotApplicable, Talk().Visitor("hi").Score(QualityRules.RequiredPhrase, name).Outcome);
    }

    [Fact]
    public void NoPersonalData_FailsOnAnAgentsNumber_OrAMaskedValue_NotTheVisitors()
    {
        var visitor = Talk().Visitor("my phone is 13800138000").AgentSays("thanks, noted");
        Assert.Equal(ItemOutcomes.Pass, visitor.Score(QualityRules.NoPersonalData).Outcome);

        var phone = Talk().AgentSays("call 13912345678 please");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, phone.Last, "personal_data"), phone.Score(QualityRules.NoPersonalData));
        Assert.Equal(ItemOutcomes.Fail, Talk().AgentSays("身份证 11010519491231002X").Score(QualityRules.NoPersonalData).Outcome);
        Assert.Equal(ItemOutcomes.Fail, Talk().AgentSays("card 6222 0212 3456 7894").Score(QualityRules.NoPersonalData).Outcome);

        // Masked at ingest: the stored text holds stars, the message says how many values were masked.
        Assert.Equal(ItemOutcomes.Fail, Talk().AgentSays("call 139****5678", masked: 1).Score(QualityRules.NoPersonalData).Outcome);
        Assert.Equal(ItemOutcomes.Pass, Talk().AgentSays("order 202611301380013800012345").Score(QualityRules.NoPersonalData).Outcome);
    }

    [Fact]
    public void MaxTransfers_CountsTransferEvents()
    {
        var twice = Talk().Event(ConversationTransferred.Name).Event(ConversationTransferred.Name);
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, null, "2"), twice.Score(QualityRules.MaxTransfers, new(Max: 2)));
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, null, "2"), twice.Score(QualityRules.MaxTransfers, new(Max: 1)));
        Assert.Equal(ItemOutcomes.Pass, Talk().Score(QualityRules.MaxTransfers, new(Max: 0)).Outcome);
    }

    [Fact]
    public void CsatAnswered_NeedsACsatAnswer_NotNps()
    {
        Assert.Equal(ItemOutcomes.Pass, Talk().Event(SurveyAnswered.Name, "csat").Score(QualityRules.CsatAnswered).Outcome);
        Assert.Equal(ItemOutcomes.Fail, Talk().Event(SurveyAnswered.Name, "nps").Score(QualityRules.CsatAnswered).Outcome);
        Assert.Equal(ItemOutcomes.Fail, Talk().Score(QualityRules.CsatAnswered).Outcome);
    }

    [Fact]
    public void ResolutionConfirmed_ByAVisitorPhrase()
    {
        var yes = Talk().Visitor("退款没到").AgentSays("已处理").Visitor("好的，解决了，谢谢");
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, yes.Last, "解决了"), yes.Score(QualityRules.ResolutionConfirmed));
        Assert.Equal(ItemOutcomes.Fail, Talk().Visitor("still broken").AgentSays("ok").Score(QualityRules.ResolutionConfirmed).Outcome);
        Assert.Equal(ItemOutcomes.Pass, Talk().Visitor("works now!").Score(QualityRules.ResolutionConfirmed, new(Phrases: ["works now"])).Outcome);
        Assert.Equal(ItemOutcomes.NotApplicable, Talk().AgentSays("hi").Score(QualityRules.ResolutionConfirmed).Outcome);
    }

    [Fact]
    public void Empathy_OnlyWhenTheVisitorWasUpset_AndOnlyAfterIt()
    {
        var kind = Talk().Visitor("你们这是什么破服务，太差了，我要投诉").AgentSays("非常抱歉给您带来不便");
        Assert.Equal(new RuleResult(ItemOutcomes.Pass, kind.Last, "抱歉"), kind.Score(QualityRules.Empathy));

        var cold = Talk().AgentSays("Sorry for the wait").Visitor("This is ridiculous, worst service ever").AgentSays("Order number?");
        Assert.Equal(new RuleResult(ItemOutcomes.Fail, cold.MessageAt(1), "upset"), cold.Score(QualityRules.Empathy));

        Assert.Equal(ItemOutcomes.NotApplicable, Talk().Visitor("谢谢，很满意").AgentSays("好的").Score(QualityRules.Empathy).Outcome);
    }

    [Fact]
    public void Total_NormalisesWeightsOverTheItemsThatApply_AndOverridesCountInsteadOfTheOutcome()
    {
        List<ItemResultDto> items =
        [
            new(0, "a", "a", 3, ItemOutcomes.Pass, null, null),
            new(1, "b", "b", 1, ItemOutcomes.Fail, null, null),
            new(2, "c", "c", 6, ItemOutcomes.NotApplicable, null, null),
        ];
        Assert.Equal(75.0, ScoringEngine.Total(items, withOverrides: true));
        items[1] = items[1] with { Override = ItemOutcomes.Pass };
        Assert.Equal(100.0, ScoringEngine.Total(items, withOverrides: true));
        Assert.Equal(75.0, ScoringEngine.Total(items, withOverrides: false));
        Assert.Null(ScoringEngine.Total([items[2]], withOverrides: true));
    }
}
