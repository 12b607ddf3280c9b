using Kefu.IntegrationTests.Bot;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Routing;

/// <summary>
/// Outside business hours the visitor, the bot and the router agree: the bot says the team is away (in the inbox's own
/// words), and the router assigns nobody, though an agent is online with room. The bug was the router's: it never
/// asked the hours the bot's availability check asks.
/// </summary>
public sealed class BusinessHoursRoutingTests
{
    [Fact]
    public async Task OutsideHours_TheBotSaysSo_AndTheRouterDoesNotAssign_TheVisitorLeftAMessage()
    {
        await using var server = new KefuFactory { Bot = true }.Start();
        await using var agent = await server.AgentAsync("On duty, but closed");
        var today = DateTime.UtcNow.Date;
        await server.ConfigureInboxAsync(new
        {
            mode = AssignmentMode.Auto, businessHours = "sun-sat 00:00-24:00", holidays = $"{today:yyyy-MM-dd} {today.AddDays(1):yyyy-MM-dd}",
            closedMessageZh = "今天放假，请留言。", closedMessageEn = "Closed for the holiday, please leave a message.",
        });
        await using var visitor = await BotVisitor.StartAsync(server);

        var reply = await visitor.AskAsync("转人工");
        await WaitQueuedAsync(server, visitor.ConversationId);
        await server.Services.GetRequiredService<RoutingPass>().RunAsync(CancellationToken.None);

        Assert.Equal("今天放假，请留言。", reply.Text);
        Assert.Null(await server.AssigneeAsync(visitor.ConversationId));
        Assert.Equal(QueueState.LeftMessage, await server.WithDbAsync(db => db.QueueEntries.Where(q => q.ConversationId == visitor.ConversationId).Select(q => q.State).SingleAsync()));
        Assert.False((await BotAssertions.PacketAsync(server, visitor.ConversationId)).AgentsAvailable);
        Assert.Contains(await server.TimelineAsync(visitor.ConversationId), e => e.StartsWith("conversation.left_message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutsideHours_WithoutLeaveAMessage_TheVisitorWaits_AndIsAssignedWhenTheInboxOpens()
    {
        // A Monday, 07:00 in Shanghai; the inbox opens at 09:00 there.
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 1, 3, 23, 0, 0, TimeSpan.Zero));
        await using var server = new KefuFactory { Clock = clock }.Start();
        await using var agent = await server.AgentAsync("Early bird");
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto, timeZone = "Asia/Shanghai", businessHours = "mon-fri 09:00-18:00", closedLeaveMessage = false });
        var pass = server.Services.GetRequiredService<RoutingPass>();

        await using var visitor = await server.VisitorAsync("anyone there?");
        await WaitQueuedAsync(server, visitor.ConversationId);
        await pass.RunAsync(CancellationToken.None);

        Assert.Null(await server.AssigneeAsync(visitor.ConversationId));
        await visitor.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        clock.Advance(TimeSpan.FromHours(2));
        await pass.RunAsync(CancellationToken.None);
        Assert.Equal(agent.Id, await server.AssigneeAsync(visitor.ConversationId));
    }

    /// <summary>Routing has taken the conversation in (whatever it then did with it): the queued event is on its timeline.</summary>
    private static Task WaitQueuedAsync(KefuFactory server, Guid conversationId) =>
        Wait.UntilAsync(async () => (await server.TimelineAsync(conversationId)).Any(e => e.StartsWith("conversation.queued", StringComparison.Ordinal)), "routing queued the conversation");
}
