using System.Net;
using Kefu.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Routing;

/// <summary>The conditional claim under contention: many agents take one conversation at once.</summary>
public sealed class ClaimTests
{
    [Fact]
    public async Task ManyAgentsTakeOneConversationAtOnce_ExactlyOneWins()
    {
        await using var server = new KefuFactory().Start();
        await using var visitor = await server.VisitorAsync("first come");
        var clients = new List<HttpClient>();
        for (var i = 0; i < 12; i++)
        {
            var email = await server.CreateAgentInDemoTenantAsync($"Racer {i}");
            clients.Add(await server.AgentHttpAsync(await server.AgentTokenAsync(email)));
        }

        using var start = new ManualResetEventSlim();
        var attempts = clients.Select(c => Task.Run(async () =>
        {
            start.Wait();
            return await c.PostAsync($"/api/v1/conversations/{visitor.ConversationId}/take", null);
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == visitor.ConversationId && e.Type == "conversation.assigned")));
        Assert.Equal(0, await server.WithDbAsync(db => db.QueueEntries.CountAsync(q => q.ConversationId == visitor.ConversationId)));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task AgentsReply_ToAConversationRoutingAssignedMeanwhile_DoesNotStealIt()
    {
        await using var server = new KefuFactory().Start();
        await using var visitor = await server.VisitorAsync("hi");
        var takerEmail = await server.CreateAgentInDemoTenantAsync("Taker");
        using var taker = await server.AgentHttpAsync(await server.AgentTokenAsync(takerEmail));
        (await taker.PostAsync($"/api/v1/conversations/{visitor.ConversationId}/take", null)).EnsureSuccessStatusCode();
        var takerId = await server.AssigneeAsync(visitor.ConversationId);

        using var other = await server.AgentHttpAsync();
        var reply = await other.PostAsync($"/api/v1/conversations/{visitor.ConversationId}/messages",
            System.Net.Http.Json.JsonContent.Create(new { clientMessageId = "o-1", text = "I can help too" }));

        Assert.True(reply.IsSuccessStatusCode);
        Assert.Equal(takerId, await server.AssigneeAsync(visitor.ConversationId));
    }
}
