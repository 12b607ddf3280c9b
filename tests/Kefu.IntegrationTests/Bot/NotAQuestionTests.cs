using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Bot;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Bot;

/// <summary>Emoji and pictures are not questions: the bot acknowledges them and never counts them as misses.</summary>
public sealed class NotAQuestionTests(BotServer fixture) : IClassFixture<BotServer>
{
    // A valid 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private readonly KefuFactory _server = fixture.Server;

    [Fact]
    public async Task EmojiOnly_IsAcknowledgedInTheVisitorsLanguage_AndNeverHandsOff()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync("how much is shipping");

        var thumbs = await visitor.AskAsync("👍");
        var smile = await visitor.AskAsync("😊😊");
        var again = await visitor.AskAsync("🙏🏻");

        Assert.All(new[] { thumbs, smile, again }, r => Assert.Contains("Anything else", r.Text));
        await AssertStillWithTheBotAsync(visitor.ConversationId, BotOutcome.Acknowledged, 3);
    }

    [Fact]
    public async Task PictureAlone_AsksWhatIsNeeded_OffersAPerson_AndIsNotAMiss()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync("运费多少钱");

        var first = await SendPictureAsync(visitor);
        var second = await SendPictureAsync(visitor);

        Assert.Contains("看不了图片", first.Text);
        Assert.Equal("handoff", BotAssertions.Action(first, MessageAction.Handoff).Id);
        Assert.Equal(first.Text, second.Text);
        await AssertStillWithTheBotAsync(visitor.ConversationId, BotOutcome.ReceivedAttachment, 2);
    }

    private async Task<MessageDto> SendPictureAsync(BotVisitor visitor)
    {
        using var http = _server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", visitor.Token);
        var content = new ByteArrayContent(Png);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = await http.PostAsync("/api/v1/attachments", new MultipartFormDataContent { { content, "file", "photo.png" } });
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
        var ack = await visitor.SendAsync(new VisitorSendMessage(null, Guid.NewGuid().ToString("N"), "", attachment.Id));
        Assert.True(ack.Ok, ack.Error?.Code);
        return await visitor.ReplyToAsync(ack.Value!);
    }

    private async Task AssertStillWithTheBotAsync(Guid conversationId, BotOutcome outcome, int count)
    {
        // The turn commits just after the reply is written: wait for the last one.
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.BotTurns.CountAsync(t => t.ConversationId == conversationId && t.Outcome == outcome))
            .ContinueWith(t => t.Result >= count), $"{count} {outcome} turns");
        var turns = await _server.WithDbAsync(db => db.BotTurns.Where(t => t.ConversationId == conversationId && t.Outcome == outcome).ToListAsync());
        Assert.Equal(count, turns.Count);
        Assert.All(turns, t => Assert.False(t.IsMiss));
        Assert.All(turns, t => Assert.False(t.Unanswered));
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == conversationId));
        Assert.Equal(ConversationHandler.Bot, conversation.Handler);
        Assert.False(await _server.WithDbAsync(db => db.HandoffPackets.AnyAsync(p => p.ConversationId == conversationId)));
    }
}
