using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Bot;

public sealed class BadInputTests(BotServer fixture) : IClassFixture<BotServer>
{
    private readonly KefuFactory _server = fixture.Server;

    public static TheoryData<string> Junk => new()
    {
        new string('退', MessageRules.MaxTextLength),
        "\u0001\u0002\u0003\u00ff\u00fe\ufffd\ud83d\u0000 \u2028\u202e binary",
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "🍬🍬🍬🍬",
        string.Concat(Enumerable.Repeat("😀a", 1300)),
    };

    [Theory]
    [MemberData(nameof(Junk))]
    public async Task BadInput_GetsAReply_AndTheConversationKeepsWorking(string text)
    {
        await using var visitor = await BotVisitor.StartAsync(_server);

        var reply = await visitor.AskAsync(text);
        var next = await visitor.SendAsync(new VisitorSendMessage(null, Guid.NewGuid().ToString("N"), "hello again", null));

        Assert.Equal(SenderType.Bot, reply.Sender);
        Assert.True(next.Ok);
        var failed = await _server.WithDbAsync(db => db.Outbox.Where(o => o.SubjectId == visitor.ConversationId && o.LastError != null).CountAsync());
        Assert.Equal(0, failed);
    }

    [Fact]
    public async Task EmptyMessage_IsRefusedBeforeTheBot_AndAFileAloneAsksForWords()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);

        var empty = await visitor.SendAsync(new VisitorSendMessage(null, "empty-1", "   ", null));

        Assert.Equal("text_empty", empty.Error!.Code);
        Assert.Equal(0, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ClientMessageId == "empty-1")));
    }
}
