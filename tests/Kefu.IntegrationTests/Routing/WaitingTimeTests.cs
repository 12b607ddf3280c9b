using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Routing;

/// <summary>Waiting time counts from when the visitor entered the line, in the list and on the queue board.</summary>
public sealed class WaitingTimeTests
{
    [Fact]
    public async Task AVisitorWritingAgainWhileInLine_DoesNotRestartTheirWait_InTheListOrOnTheQueueBoard()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        await using var visitor = await server.VisitorAsync("is anyone there?");
        await visitor.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        var enqueuedAt = await server.WithDbAsync(db => db.QueueEntries.Where(q => q.ConversationId == visitor.ConversationId).Select(q => q.EnqueuedAt).SingleAsync());

        clock.Advance(TimeSpan.FromMinutes(7));
        var again = await visitor.Hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage",
            new VisitorSendMessage(visitor.ConversationId, "m-" + Guid.NewGuid().ToString("N")[..8], "hello??", null));
        Assert.True(again.Ok);

        using var admin = await server.AgentHttpAsync();
        var listed = (await admin.GetFromJsonAsync<List<ConversationDto>>("/api/v1/conversations?view=all", KefuFactory.Json))!
            .Single(c => c.Id == visitor.ConversationId);
        Assert.Equal(enqueuedAt.Ticks, listed.WaitingSince!.Value.Ticks);
        Assert.True(listed.LastMessageAt >= enqueuedAt.AddMinutes(7), "the second message moved the last-message time");
        var board = (await admin.GetFromJsonAsync<RoutingOverview>("/api/v1/routing/overview", KefuFactory.Json))!;
        var waiting = Assert.Single(board.Waiting, w => w.ConversationId == visitor.ConversationId);
        Assert.InRange(waiting.WaitingSeconds, 7 * 60, 7 * 60 + 5);
        Assert.InRange(Assert.Single(board.Queues).LongestWaitSeconds, 7 * 60, 7 * 60 + 5);
    }
}
