using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Routing;

/// <summary>Anger after the hand-off: a visitor angry in the queue or with an agent is raised to high priority, once, on the timeline.</summary>
public sealed class AngryVisitorTests
{
    [Fact]
    public async Task AngryWhileWaiting_RaisesPriority_MovesUpTheLine_AndTheTimelineSaysWhy()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto });
        await using var agent = await server.AgentAsync("Solo", capacity: 1);
        await using var first = await server.VisitorAsync("hello");
        Assert.Equal(agent.Id, await server.WaitForAssigneeAsync(first.ConversationId));
        await using var second = await server.VisitorAsync("hi, a question about my order");
        await using var third = await server.VisitorAsync("hello there");
        await third.Queue.WaitAsync(s => s is { State: "waiting", Position: 2 });

        await SendAsync(third, "This is a SCAM, what the hell!!! 😡");

        await third.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        await second.Queue.WaitAsync(s => s is { State: "waiting", Position: 2 });
        Assert.Equal(ConversationPriority.High, await PriorityAsync(server, third.ConversationId));
        Assert.Equal(ConversationPriority.Normal, await PriorityAsync(server, second.ConversationId));
        var raised = Assert.Single(await server.TimelineAsync(third.ConversationId), e => e.StartsWith(ConversationPriorityChanged.Name, StringComparison.Ordinal));
        Assert.Contains(PriorityReasons.AngryWhileWaiting, raised);
        Assert.Contains("scam", raised);
        Assert.DoesNotContain("SCAM, what", raised); // cues, never the visitor's words
    }

    [Fact]
    public async Task AngryWithAnAgent_RaisesPriorityOnce_AndTheAgentSeesIt()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto });
        await using var agent = await server.AgentAsync("Solo", capacity: 2);
        var changes = new Events<ConversationDto>(agent.Hub, "ConversationChanged");
        await using var visitor = await server.VisitorAsync("hello");
        Assert.Equal(agent.Id, await server.WaitForAssigneeAsync(visitor.ConversationId));

        await SendAsync(visitor, "你们就是骗子，气死我了");
        await changes.WaitAsync(c => c.Id == visitor.ConversationId && c.Priority == ConversationPriority.High);
        await SendAsync(visitor, "垃圾服务，我要投诉");

        await Wait.UntilAsync(async () => !await server.WithDbAsync(db => db.Outbox.AnyAsync(o => o.ProcessedAt == null)), "the durable lane to drain");
        var raised = (await server.TimelineAsync(visitor.ConversationId)).Where(e => e.StartsWith(ConversationPriorityChanged.Name, StringComparison.Ordinal)).ToList();
        Assert.Contains(PriorityReasons.AngryWithAgent, Assert.Single(raised));
        var data = JsonDocument.Parse(raised[0][(raised[0].IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement;
        Assert.Equal(("normal", "high"), (data.GetProperty("from").GetString(), data.GetProperty("to").GetString()));
        Assert.Contains("骗子", data.GetProperty("cues").GetString());
    }

    [Fact]
    public async Task CalmVisitorInTheQueue_KeepsNormalPriority()
    {
        await using var server = new KefuFactory().Start();
        await using var visitor = await server.VisitorAsync("hello");

        await SendAsync(visitor, "thanks, I'll wait");

        await Wait.UntilAsync(async () => !await server.WithDbAsync(db => db.Outbox.AnyAsync(o => o.ProcessedAt == null)), "the durable lane to drain");
        Assert.Equal(ConversationPriority.Normal, await PriorityAsync(server, visitor.ConversationId));
        Assert.DoesNotContain(await server.TimelineAsync(visitor.ConversationId), e => e.StartsWith(ConversationPriorityChanged.Name, StringComparison.Ordinal));
    }

    private static async Task SendAsync(QueuedVisitor visitor, string text)
    {
        var ack = await visitor.Hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(visitor.ConversationId, Guid.NewGuid().ToString("N"), text, null));
        Assert.True(ack.Ok, ack.Error?.Code);
    }

    private static Task<ConversationPriority> PriorityAsync(KefuFactory server, Guid conversationId) =>
        server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.Priority).FirstAsync());
}
