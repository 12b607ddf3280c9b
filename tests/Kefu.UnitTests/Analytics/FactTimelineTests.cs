using System.Text.Json;
using Kefu.Server.Features.Analytics;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.UnitTests.Analytics;

/// <summary>Every metric of docs/metrics.md on a scripted conversation with a fake clock.</summary>
public sealed class FactTimelineTests
{
    private static readonly Guid Ann = Guid.NewGuid();
    private static readonly Guid Bo = Guid.NewGuid();
    private static readonly Guid Billing = Guid.NewGuid();

    [Fact]
    public void FirstResponse_QueueHeldConversation_CountsFromTheVisitorsFirstMessage()
    {
        var t = new ConversationTimeline().Created().Queued().After(40).Assigned(Ann).After(20).Message(SenderType.Agent).After(30).Message(SenderType.Agent);

        Assert.Equal(60, t.Fact.FirstResponseSeconds);
        Assert.Equal(40, t.Fact.WaitSeconds);
        Assert.Equal("visitor", t.Fact.StartedBy);
    }

    [Fact]
    public void FirstResponse_BotConversation_ExcludesBotReplies_AndCountsFromTheHandOff()
    {
        var t = new ConversationTimeline().Created(ConversationHandler.Bot).After(5).Message(SenderType.Bot).After(100).Message(SenderType.Bot)
            .After(10).HandedOff("low_confidence").Queued().After(25).Assigned(Ann).After(15).Message(SenderType.Agent);

        Assert.Equal(40, t.Fact.FirstResponseSeconds);
        Assert.True(t.Fact.BotInvolved);
        Assert.Equal("low_confidence", t.Fact.HandOffReason);
        var counters = new RollupCounters();
        counters.Add(t.Fact);
        Assert.Equal((1, 0, 1), (counters.BotInvolved, counters.BotContained, counters.HandedOff));
    }

    [Fact]
    public void BotContainment_BotFinishesAlone_IsContained_WithNoFirstResponse()
    {
        var t = new ConversationTimeline().Created(ConversationHandler.Bot).After(5).Message(SenderType.Bot).After(60).Resolved(Actor.Bot);

        var counters = new RollupCounters();
        counters.Add(t.Fact);
        Assert.Equal((1, 1, 0), (counters.BotInvolved, counters.BotContained, counters.Responded));
        Assert.Null(t.Fact.FirstResponseSeconds);
    }

    [Fact]
    public void FirstResponse_ConversationAnAgentStarted_HasNone()
    {
        var t = new ConversationTimeline().Created(ConversationHandler.Agent, Actor.Agent(Ann)).Message(SenderType.Agent).After(60).Message(SenderType.Agent);

        Assert.Null(t.Fact.FirstResponseSeconds);
        Assert.Equal("agent", t.Fact.StartedBy);
    }

    [Fact]
    public void Transfer_ToAnAgent_MovesTheHolder_AndHandlingAddsBothStretches()
    {
        var t = new ConversationTimeline().Created().Queued(Billing).After(10).Assigned(Ann).After(120).Transferred(Ann, Bo).After(300).Resolved();

        Assert.Equal(1, t.Fact.Transfers);
        Assert.Equal(Bo, t.Fact.AgentId);
        Assert.Equal($"{Ann} {Bo}", t.Fact.Agents);
        Assert.Equal(420, t.Fact.HandlingSeconds);
        Assert.Equal(Billing, t.Fact.TeamId);
    }

    [Fact]
    public void Transfer_BackToATeamsLine_WaitsAgain_AndBothWaitsAdd()
    {
        var support = Guid.NewGuid();
        var t = new ConversationTimeline().Created().Queued().After(30).Assigned(Ann).After(60).Transferred(Ann, null, support).After(90).Assigned(Bo);

        Assert.Equal(120, t.Fact.WaitSeconds);
        Assert.Equal(60, t.Fact.HandlingSeconds);
        Assert.Equal(support, t.Fact.TeamId);
        Assert.Equal(Bo, t.Fact.AgentId);
    }

    [Fact]
    public void Abandonment_VisitorLeavesAMessageWhileWaiting_RecordsHowLongTheyWaited()
    {
        var t = new ConversationTimeline().Created().Queued().After(200).LeftMessage().After(3600).Assigned(Ann);

        Assert.True(t.Fact.Abandoned);
        Assert.Equal(200, t.Fact.AbandonedAfterSeconds);
        var counters = new RollupCounters();
        counters.Add(t.Fact);
        Assert.Equal((1, 1, 0), (counters.Queued, counters.Abandoned, counters.Waited)); // an abandoned wait is not a served one
    }

    [Fact]
    public void Abandonment_ClosedBySystemWhileWaiting_IsAbandoned_ButAnAgentClosingItIsNot()
    {
        var idle = new ConversationTimeline().Created().Queued().After(900).Resolved(Actor.System);
        var spam = new ConversationTimeline().Created().Queued().After(50).Resolved(Actor.Agent(Ann));

        Assert.True(idle.Fact.Abandoned);
        Assert.Equal(900, idle.Fact.AbandonedAfterSeconds);
        Assert.False(spam.Fact.Abandoned);
    }

    [Fact]
    public void Reopen_CountsOnce_ResolutionRunsToTheLastResolve_FirstResolutionStays()
    {
        var t = new ConversationTimeline().Created().Queued().Assigned(Ann).After(600).Resolved().After(3000).Reopened().After(400).Resolved();

        Assert.Equal(1, t.Fact.Reopens);
        Assert.True(t.Fact.Resolved);
        Assert.Equal(4000, t.Fact.ResolutionSeconds);
        Assert.Equal(ConversationTimeline.Start.UtcDateTime.AddSeconds(600), t.Fact.FirstResolvedAt);
    }

    [Fact]
    public void Survey_AChangedAnswerReplacesTheEarlierOne_AndCountsOnce()
    {
        var t = new ConversationTimeline().Created().Survey("csat", 2).After(60).Survey("csat", 5).Survey("nps", 6);

        var counters = new RollupCounters();
        counters.Add(t.Fact);
        Assert.Equal((5, 6), (t.Fact.CsatScore, t.Fact.NpsScore));
        Assert.Equal((1, 1, 1, 0, 1), (counters.CsatAnswers, counters.CsatSatisfied, counters.NpsAnswers, counters.NpsPromoters, counters.NpsDetractors));
    }

    [Fact]
    public void Replay_EveryEventDeliveredAgain_ChangesNothing()
    {
        var t = new ConversationTimeline().Created(ConversationHandler.Bot).After(20).HandedOff().Queued().After(30).Assigned(Ann).After(5)
            .Message(SenderType.Agent).After(60).Transferred(Ann, Bo).After(60).Resolved().After(60).Reopened().After(60).Resolved().Survey("csat", 4);
        var before = JsonSerializer.Serialize(t.Fact);

        foreach (var e in t.Events)
        {
            Assert.False(FactTimeline.Apply(t.Fact, e), e.Type);
        }

        Assert.Equal(before, JsonSerializer.Serialize(t.Fact));
    }

    [Fact]
    public void Hour_IsTheStartsHour_SoEveryLaterChangeCountsInIt()
    {
        var t = new ConversationTimeline().Created().After(7200).Resolved();

        Assert.Equal(new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc), t.Fact.Hour);
    }
}
