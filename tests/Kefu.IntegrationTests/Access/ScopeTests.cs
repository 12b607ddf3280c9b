using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.IntegrationTests.Access;

/// <summary>Agents limited to inboxes or to their own conversations see nothing else: REST, hub calls and hub events alike.</summary>
public sealed class ScopeTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task AnAgentLimitedToOneInbox_FindsNoConversationOfAnother_OverRestAndTheHub()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync(AgentRole.Supervisor);
        var (_, otherKey) = await ws.InboxAsync("Wholesale");
        var visible = await ws.ConversationAsync();
        var hidden = await ws.ConversationAsync(otherKey);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(agent.Id, "supervisor", await ws.DemoInboxIdAsync())).StatusCode);

        var list = await agent.Http.GetFromJsonAsync<List<ConversationDto>>("/api/v1/conversations?status=all", KefuFactory.Json);
        Assert.Contains(list!, c => c.Id == visible);
        Assert.DoesNotContain(list!, c => c.Id == hidden);
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => agent.Http.GetAsync($"/api/v1/conversations/{hidden}/messages"),
                     () => agent.Http.GetAsync($"/api/v1/conversations/{hidden}/timeline"),
                     () => agent.Http.GetAsync($"/api/v1/conversations/{hidden}/handoff"),
                     () => agent.Http.PostAsync($"/api/v1/conversations/{hidden}/resolve", null),
                     () => agent.Http.PostAsync($"/api/v1/conversations/{hidden}/take", null),
                     () => agent.Http.PostAsJsonAsync($"/api/v1/conversations/{hidden}/messages", new { clientMessageId = "s-1", text = "hi" }),
                     () => agent.Http.PostAsJsonAsync($"/api/v1/conversations/{hidden}/transfer", new { agentId = agent.Id }),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await request()).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await agent.Http.GetAsync($"/api/v1/conversations/{visible}/messages")).StatusCode);

        await using var hub = await _server.ConnectAgentAsync(agent.Token);
        var hubList = await hub.InvokeAsync<HubResult<IReadOnlyList<ConversationDto>>>("ListConversations", ConversationFilter.All, 500);
        Assert.DoesNotContain(hubList.Value!, c => c.Id == hidden);
        var history = await hub.InvokeAsync<HubResult<MessagePage>>("GetMessages", hidden, 0L, 50);
        Assert.Equal("conversation_not_found", history.Error!.Code);
    }

    [Fact]
    public async Task HubEvents_OfAnotherInbox_NeverReachALimitedAgent_WhileTheirOwnInboxsDo()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync();
        var (_, otherKey) = await ws.InboxAsync("Export desk");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(agent.Id, "agent", await ws.DemoInboxIdAsync())).StatusCode);
        await using var hub = await _server.ConnectAgentAsync(agent.Token);
        var seen = new List<Guid>();
        using var arrived = new SemaphoreSlim(0);
        hub.On<ConversationDto>("ConversationChanged", c =>
        {
            lock (seen)
            {
                seen.Add(c.Id);
            }

            arrived.Release();
        });

        // The other inbox's conversation first: the fan-out is one ordered loop, so once the own inbox's event has
        // arrived, the other's would have arrived before it.
        var hidden = await ws.ConversationAsync(otherKey, text: "order 1");
        var own = await ws.ConversationAsync(text: "order 2");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!Contains(seen, own))
        {
            await arrived.WaitAsync(timeout.Token); // the event may well have arrived before the id was known
        }

        lock (seen)
        {
            Assert.DoesNotContain(hidden, seen);
        }
    }

    private static bool Contains(List<Guid> seen, Guid id)
    {
        lock (seen)
        {
            return seen.Contains(id);
        }
    }

    [Fact]
    public async Task AnAssignedOnlyRole_SeesItsOwnConversations_AndNeitherColleaguesNorTheQueue()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync();
        using var colleague = await ws.PersonAsync();
        var role = await admin.Http.CreateRoleAsync("Own only " + Guid.NewGuid().ToString("N")[..6], "conversationsAssigned");
        await admin.Http.SetAccessAsync(agent.Id, role);
        var mine = await ws.ConversationAsync(assignee: agent.Id);
        var theirs = await ws.ConversationAsync(assignee: colleague.Id);
        var queued = await ws.ConversationAsync();

        var list = await agent.Http.GetFromJsonAsync<List<ConversationDto>>("/api/v1/conversations?status=all", KefuFactory.Json);

        Assert.Contains(list!, c => c.Id == mine);
        Assert.All(list!, c => Assert.Equal(agent.Id, c.AssigneeId));
        Assert.Equal(HttpStatusCode.OK, (await agent.Http.GetAsync($"/api/v1/conversations/{mine}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.GetAsync($"/api/v1/conversations/{theirs}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.PostAsync($"/api/v1/conversations/{queued}/take", null)).StatusCode);
    }
}
