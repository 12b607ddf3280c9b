using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.IntegrationTests.Routing;

/// <summary>Auto-assignment, capacity, live queue positions and VIP order, over the real hubs.</summary>
public sealed class QueueTests
{
    [Fact]
    public async Task CapacityFull_NextVisitorsQueue_WithLivePositions_AndMoveUpWhenTheAgentFreesUp()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto });
        await using var agent = await server.AgentAsync("Solo", capacity: 1);

        await using var first = await server.VisitorAsync("hello");
        Assert.Equal(agent.Id, await server.WaitForAssigneeAsync(first.ConversationId));
        await using var second = await server.VisitorAsync("me too");
        await using var third = await server.VisitorAsync("and me");
        await second.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        var behind = await third.Queue.WaitAsync(s => s is { State: "waiting", Position: 2 });
        Assert.True(behind.EstimatedWaitSeconds > 0);
        Assert.Null(await server.AssigneeAsync(second.ConversationId));

        using var http = await server.AgentHttpAsync(agent.Token);
        (await http.PostAsync($"/api/v1/conversations/{first.ConversationId}/resolve", null)).EnsureSuccessStatusCode();

        Assert.Equal(agent.Id, await server.WaitForAssigneeAsync(second.ConversationId));
        await second.Queue.WaitAsync(s => s.State == "assigned");
        await third.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        Assert.Contains(await server.TimelineAsync(second.ConversationId), e => e.StartsWith("conversation.assigned", StringComparison.Ordinal) && e.Contains("round_robin"));
    }

    [Fact]
    public async Task Vip_OvertakesANormalVisitorWhoWaitedLonger()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto });
        await using var agent = await server.AgentAsync("Solo", capacity: 1);
        await using var busy = await server.VisitorAsync("first");
        Assert.Equal(agent.Id, await server.WaitForAssigneeAsync(busy.ConversationId));

        await using var normal = await server.VisitorAsync("waiting a while");
        await normal.Queue.WaitAsync(s => s.Position == 1);
        await using var vip = await server.VisitorAsync("important", tags: "vip");
        await vip.Queue.WaitAsync(s => s.Position == 1);
        await normal.Queue.WaitAsync(s => s.Position == 2);

        using var http = await server.AgentHttpAsync(agent.Token);
        (await http.PostAsync($"/api/v1/conversations/{busy.ConversationId}/resolve", null)).EnsureSuccessStatusCode();

        Assert.Equal(agent.Id, await server.WaitForAssigneeAsync(vip.ConversationId));
        await normal.Queue.WaitAsync(s => s.Position == 1);
        Assert.Null(await server.AssigneeAsync(normal.ConversationId));
    }

    [Fact]
    public async Task LeaveMessage_LeavesTheLine_ConversationStaysOpen()
    {
        await using var server = new KefuFactory().Start();
        await using var first = await server.VisitorAsync("one");
        await using var second = await server.VisitorAsync("two");
        await second.Queue.WaitAsync(s => s.Position == 2);

        var left = await first.Hub.InvokeAsync<HubResult<QueueStatusEvent>>("LeaveMessage", first.ConversationId);

        Assert.Equal("left_message", left.Value!.State);
        await second.Queue.WaitAsync(s => s.Position == 1);
        var again = await first.Hub.InvokeAsync<HubResult<QueueStatusEvent>>("LeaveMessage", first.ConversationId);
        Assert.Equal("not_queued", again.Error!.Code);
    }

    [Fact]
    public async Task AgentsReply_ToAWaitingConversation_TellsTheVisitorTheyLeftTheLine()
    {
        await using var server = new KefuFactory().Start();
        await using var waiting = await server.VisitorAsync("is anyone there?");
        await waiting.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });

        using var admin = await server.AgentHttpAsync();
        var reply = await admin.PostAsync($"/api/v1/conversations/{waiting.ConversationId}/messages",
            System.Net.Http.Json.JsonContent.Create(new { clientMessageId = "r-1", text = "Hello, I am here" }));
        reply.EnsureSuccessStatusCode();

        // The reply assigned it (the writer's rule); the widget must stop showing "number 1 in line" without a reload.
        await waiting.Queue.WaitAsync(s => s.State == "assigned" && s.ConversationId == waiting.ConversationId);
        Assert.NotNull(await server.AssigneeAsync(waiting.ConversationId));
    }
}
