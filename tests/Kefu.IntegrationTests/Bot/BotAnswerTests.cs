using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Bot;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Bot;

public sealed class BotAnswerTests(BotServer fixture) : IClassFixture<BotServer>
{
    private readonly Infrastructure.KefuFactory _server = fixture.Server;

    [Fact]
    public async Task ChineseFaqQuestion_GetsTheAnswer_WithDidThisHelpButtons()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);

        // "我的订单到哪里了" starts the demo order flow (FlowTests); this phrasing is answered from the FAQ.
        var reply = await visitor.AskAsync("订单状态怎么看？");

        // Bold stays marked for the widget and the console to render, with no gap around it in Chinese.
        Assert.StartsWith("登录后进入**我的订单**，点击订单", reply.Text);
        Assert.Equal(2, reply.Seq);
        Assert.Equal(["helpful", "not_helpful"], reply.Actions!.Select(a => a.Id.Split(':')[0]));
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == visitor.ConversationId));
        Assert.Equal(ConversationHandler.Bot, conversation.Handler);
    }

    [Fact]
    public async Task EnglishFaqQuestion_GetsTheEnglishAnswer()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);

        var reply = await visitor.AskAsync("how much is shipping?");

        // Markdown becomes plain text in chat, except bold, which the clients render (as text, never HTML).
        Assert.StartsWith("Shipping is **free over ¥99**; below that", reply.Text);
        Assert.Equal("Assistant", reply.SenderName);
    }

    [Fact]
    public async Task AmbiguousQuestion_GetsChoiceButtons_AndChoosingOneAnswersIt()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);

        var choices = await visitor.AskAsync("退货退款");
        var refund = Assert.Single(choices.Actions!, a => a.Kind == MessageAction.Choice && a.Label.Contains("退款"));
        Assert.InRange(choices.Actions!.Count(a => a.Kind == MessageAction.Choice), 2, 3);
        BotAssertions.Action(choices, MessageAction.Handoff);

        var answer = await visitor.ChooseAsync(choices, refund.Id);

        Assert.Contains("1–3 个工作日", answer.Text);
        await WaitUntilAsync(() => _server.WithDbAsync(db => db.BotTurns.CountAsync(t => t.ConversationId == visitor.ConversationId).ContinueWith(c => c.Result == 2)));
        var turns = await _server.WithDbAsync(db => db.BotTurns.Where(t => t.ConversationId == visitor.ConversationId).OrderBy(t => t.Seq).ToListAsync());
        Assert.Equal([BotOutcome.Choices, BotOutcome.Answered], turns.Select(t => t.Outcome));
    }

    [Fact]
    public async Task ChoosingTwice_StoresOnePress_AndUnknownActionIsATypedError()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        var choices = await visitor.AskAsync("退货退款");
        var first = choices.Actions!.First(a => a.Kind == MessageAction.Choice);

        var once = await visitor.ChooseRawAsync(choices.ConversationId, choices.Id, first.Id);
        var twice = await visitor.ChooseRawAsync(choices.ConversationId, choices.Id, first.Id);
        var unknown = await visitor.ChooseRawAsync(choices.ConversationId, choices.Id, "article:" + Guid.NewGuid());

        Assert.False(once.Value!.Duplicate);
        Assert.True(twice.Value!.Duplicate);
        Assert.Equal("action_not_found", unknown.Error!.Code);
    }

    [Fact]
    public async Task DidThisHelpYes_IsRecorded_AndTheBotSaysGlad()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        var answer = await visitor.AskAsync("运费多少钱");

        var thanks = await visitor.ChooseAsync(answer, answer.Actions!.Single(a => a.Id.StartsWith("helpful:", StringComparison.Ordinal)).Id);

        Assert.Contains("很高兴", thanks.Text);
        await WaitUntilAsync(() => _server.WithDbAsync(db => db.ArticleFeedback.AnyAsync(f => f.ConversationId == visitor.ConversationId)));
        var feedback = await _server.WithDbAsync(db => db.ArticleFeedback.SingleAsync(f => f.ConversationId == visitor.ConversationId));
        Assert.True(feedback.Helpful);
    }

    [Fact]
    public async Task ReplayedEvent_DoesNotAnswerTwice()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync("发票");

        // Mark the events of this conversation's messages unprocessed, as after a crash before the dispatcher's update.
        var conversation = visitor.ConversationId.ToString();
        await _server.WithDbAsync(db => db.Outbox.Where(o => o.Type == ConversationJournal.MessagesCreatedBatch && o.Payload.Contains(conversation))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ProcessedAt, (DateTime?)null)));
        await WaitUntilAsync(() => _server.WithDbAsync(db => db.Outbox.AnyAsync(o => o.Payload.Contains(conversation) && o.ProcessedAt == null)), expected: false);

        var messages = await _server.WithDbAsync(db => db.Messages.Where(m => m.ConversationId == visitor.ConversationId).ToListAsync());
        Assert.Single(messages, m => m.SenderType == SenderType.Bot);
        Assert.Single(await _server.WithDbAsync(db => db.BotTurns.Where(t => t.ConversationId == visitor.ConversationId).ToListAsync()));
    }

    internal static Task WaitUntilAsync(Func<Task<bool>> condition, bool expected = true) =>
        Wait.UntilAsync(async () => await condition() == expected, expected ? "the condition to hold" : "the condition to clear", 10);
}
