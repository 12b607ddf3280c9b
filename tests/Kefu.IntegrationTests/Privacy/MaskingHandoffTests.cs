using System.Net.Http.Json;
using Kefu.IntegrationTests.Bot;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Privacy;

/// <summary>The bot reads masked text, so what it keeps (turns, hand-off packet, analytics) is masked too.</summary>
public sealed class MaskingHandoffTests(BotServer fixture) : IClassFixture<BotServer>
{
    private readonly KefuFactory _server = fixture.Server;

    [Fact]
    public async Task HandoffPacket_AndBotTurns_HoldTheMaskedText()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync("我的手机号是13800138000，卡号6222021234567894");

        await visitor.AskAsync("转人工");

        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.HandoffPackets.AnyAsync(p => p.ConversationId == visitor.ConversationId)), "the hand-off is recorded");
        using var http = await _server.AgentHttpAsync();
        var packet = (await http.GetFromJsonAsync<HandoffPacketDto>($"/api/v1/conversations/{visitor.ConversationId}/handoff", KefuFactory.Json))!;
        Assert.Contains(packet.Transcript, l => l.Sender == SenderType.Visitor && l.Text == "我的手机号是138****8000，卡号6222********7894");
        var stored = await _server.WithDbAsync(async db =>
            string.Join('\n', await db.HandoffPackets.Where(p => p.ConversationId == visitor.ConversationId).Select(p => p.Data).ToListAsync()) +
            string.Join('\n', await db.BotTurns.Where(t => t.ConversationId == visitor.ConversationId).Select(t => t.Question ?? "").ToListAsync()));
        Assert.DoesNotContain("13800138000", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("6222021234567894", stored, StringComparison.Ordinal);
        Assert.Contains("138****8000", stored, StringComparison.Ordinal);
    }
}
