using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Bot;

public sealed class HandoffTests(BotServer fixture) : IClassFixture<BotServer>
{
    private readonly KefuFactory _server = fixture.Server;

    [Theory]
    [InlineData("转人工")]
    [InlineData("human please")]
    public async Task AskingForAPerson_HandsOff_WithPacket(string text)
    {
        await using var agent = await _server.ConnectAgentAsync();
        var changes = new Events<ConversationDto>(agent, "ConversationChanged");
        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync(text.StartsWith('转') ? "运费多少钱" : "how much is shipping");

        var reply = await visitor.AskAsync(text);

        Assert.Contains(text.StartsWith('转') ? "人工客服" : "a person", reply.Text);
        var packet = await AssertHandedOffAsync(visitor.ConversationId, HandoffReasons.Requested);
        Assert.True(packet.AgentsAvailable);
        Assert.Contains(packet.Transcript, l => l.Sender == SenderType.Visitor && l.Text == text);
        Assert.Contains(packet.Transcript, l => l.Sender == SenderType.Bot);
        Assert.Single(packet.ArticlesShown); // the shipping answer shown before
        await changes.WaitAsync(c => c.Id == visitor.ConversationId && c.Handler == ConversationHandler.Queue);
    }

    [Fact]
    public async Task TwoMissesInARow_HandOff_WithIntentsAndArticlesShown()
    {
        await using var agent = await _server.ConnectAgentAsync();
        await using var visitor = await BotVisitor.StartAsync(_server);

        var first = await visitor.AskAsync("退货退款");
        await visitor.AskAsync("退货退款");

        Assert.NotEmpty(first.Actions!);
        var packet = await AssertHandedOffAsync(visitor.ConversationId, HandoffReasons.RepeatedMisses);
        // "退货退款" sits between two articles: only the one above the calibrated threshold is listed, in words.
        var intent = Assert.Single(packet.Intents);
        Assert.InRange(intent.Score, 0.5, 1);
        Assert.Contains(intent.Confidence, new[] { "high", "medium" });
        Assert.InRange(packet.ArticlesShown.Count, 2, 3);
    }

    [Fact]
    public async Task AngryMessage_HandsOff_WithNegativeSentiment_AndHighPriority()
    {
        await using var agent = await _server.ConnectAgentAsync();
        await using var visitor = await BotVisitor.StartAsync(_server);

        var reply = await visitor.AskAsync("你们就是骗子！！！退钱！");

        Assert.Contains("抱歉", reply.Text);
        var packet = await AssertHandedOffAsync(visitor.ConversationId, HandoffReasons.Angry);
        Assert.True(packet.Sentiment.IsAngry);
        Assert.True(packet.Sentiment.Score < 0);
        Assert.Contains("骗子", packet.Sentiment.Cues);
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == visitor.ConversationId));
        Assert.Equal(ConversationPriority.High, conversation.Priority);
    }

    [Theory]
    [InlineData("给我讲个笑话")]
    [InlineData("what is the weather")]
    public async Task UnknownQuestion_HandsOff_AsNotKnown(string text)
    {
        await using var agent = await _server.ConnectAgentAsync();
        await using var visitor = await BotVisitor.StartAsync(_server);

        await visitor.AskAsync(text);

        var packet = await AssertHandedOffAsync(visitor.ConversationId, HandoffReasons.NotKnown);
        Assert.Empty(packet.ArticlesShown);
        Assert.Empty(packet.Intents); // the classifier's guesses at a few percent are not intents
        var turn = await _server.WithDbAsync(db => db.BotTurns.SingleAsync(t => t.ConversationId == visitor.ConversationId));
        Assert.NotNull(turn.Intents); // they were recorded, and left out of the packet
    }

    [Fact]
    public async Task AfterHandoff_TheBotIsSilent_AndAnAgentReplyAssigns()
    {
        await using var agent = await _server.ConnectAgentAsync();
        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync("转人工");
        await AssertHandedOffAsync(visitor.ConversationId, HandoffReasons.Requested);

        var ack = await visitor.SendAsync(new VisitorSendMessage(null, "after-1", "运费多少钱", null));
        var reply = await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", visitor.ConversationId, new AgentSendMessage("agent-1", "我来帮您", null));

        Assert.Equal(ack.Value!.Seq + 1, reply.Value!.Seq); // no bot message in between
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == visitor.ConversationId));
        Assert.Equal(ConversationHandler.Agent, conversation.Handler);
    }

    private async Task<HandoffPacketDto> AssertHandedOffAsync(Guid conversationId, string reason)
    {
        var packet = await BotAssertions.PacketAsync(_server, conversationId);
        Assert.Equal(reason, packet.Reason);
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == conversationId));
        Assert.Equal(ConversationHandler.Queue, conversation.Handler);
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        var handedOff = await _server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == conversationId && e.Type == "conversation.handed_off").ToListAsync());
        Assert.Contains(reason, Assert.Single(handedOff).Data);
        Assert.True(await _server.WithDbAsync(db => db.Outbox.AnyAsync(o => o.SubjectId == conversationId && o.Type == "conversation.handed_off")));
        Assert.NotEmpty(packet.Transcript);
        Assert.Equal(packet.Transcript.Select(l => l.Seq).Order(), packet.Transcript.Select(l => l.Seq));
        return packet;
    }
}
