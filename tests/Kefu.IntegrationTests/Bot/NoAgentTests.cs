using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Bot;

public sealed class NoAgentTests
{
    [Fact]
    public async Task NobodyConnected_BotSaysSoAndTakesAMessage_ConversationStaysOpen()
    {
        await using var server = new KefuFactory { Bot = true }.Start();
        await using var visitor = await BotVisitor.StartAsync(server);

        var reply = await visitor.AskAsync("转人工");
        var message = await visitor.SendAsync(new VisitorSendMessage(null, "leave-1", "我的电话是 138 0000 0000，请回电", null));

        Assert.Contains("没有客服在线", reply.Text);
        var packet = await BotAssertions.PacketAsync(server, visitor.ConversationId);
        Assert.False(packet.AgentsAvailable);
        Assert.Equal(HandoffReasons.Requested, packet.Reason);
        Assert.True(message.Ok);
        // Once the durable lane has handled the message, the bot would have answered it if it still held the conversation.
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.Outbox.AllAsync(o => o.ProcessedAt != null)), "the durable lane handled the message");
        var conversation = await server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == visitor.ConversationId));
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Equal(ConversationHandler.Queue, conversation.Handler);
        Assert.Equal(message.Value!.Seq, conversation.LastSeq);
    }
}
