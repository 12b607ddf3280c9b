using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Routing;

/// <summary>An agent signed in on the agent hub, with the events routing pushes to them.</summary>
internal sealed record RoutedAgent(Guid Id, string Token, HubConnection Hub, Events<OfferEvent> Offers) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>A visitor with a conversation and their queue updates.</summary>
internal sealed record QueuedVisitor(Guid ContactId, Guid ConversationId, HubConnection Hub, Events<QueueStatusEvent> Queue) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>Builders for routing tests: inbox settings, agents with capacity, visitors that enter the queue.</summary>
internal static class RoutingRig
{
    public static async Task ConfigureInboxAsync(this KefuFactory server, object settings)
    {
        var inboxId = await server.WithDbAsync(db => db.Inboxes.OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());
        using var admin = await server.AgentHttpAsync();
        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/routing", settings, KefuFactory.Json)).EnsureSuccessStatusCode();
    }

    /// <summary>A new agent with <paramref name="capacity"/>, connected to the agent hub (so present for routing).</summary>
    public static async Task<RoutedAgent> AgentAsync(this KefuFactory server, string name, int capacity = 3, bool connect = true)
    {
        var email = await server.CreateAgentInDemoTenantAsync(name);
        var id = await server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).FirstAsync());
        using (var admin = await server.AgentHttpAsync())
        {
            (await admin.PutAsJsonAsync($"/api/v1/agents/{id}/routing", new { capacity }, KefuFactory.Json)).EnsureSuccessStatusCode();
        }

        var token = await server.AgentTokenAsync(email);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/agent"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions = KefuFactory.Json)
            .Build();
        var offers = new Events<OfferEvent>(hub, "ConversationOffered");
        if (connect)
        {
            await hub.StartAsync();

            // StartAsync returns after the handshake, but the hub registers presence in OnConnectedAsync, which runs
            // after it. A connection's invocations are served only once OnConnectedAsync has finished, so one round
            // trip makes "connected" mean "present".
            await hub.InvokeAsync<JsonElement>("ListConversations", ConversationFilter.Open, 1);
        }

        return new RoutedAgent(id, token, hub, offers);
    }

    public static async Task<QueuedVisitor> VisitorAsync(this KefuFactory server, string text, string? tags = null)
    {
        var session = await server.NewVisitorAsync();
        if (tags is not null)
        {
            await server.WithDbAsync(db => db.Contacts.Where(c => c.Id == session.ContactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tags, tags)));
        }

        var hub = await server.ConnectVisitorAsync(session.Token);
        var queue = new Events<QueueStatusEvent>(hub, "QueueUpdated");
        var ack = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "m-" + Guid.NewGuid().ToString("N")[..8], text, null));
        return new QueuedVisitor(session.ContactId, ack.Value!.ConversationId, hub, queue);
    }

    public static Task<Guid?> AssigneeAsync(this KefuFactory server, Guid conversationId) =>
        server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.AssigneeId).FirstAsync());

    /// <summary>The conversation's assignee once routing has set one; fails the test (saying so) when none comes in time.</summary>
    public static Task<Guid?> WaitForAssigneeAsync(this KefuFactory server, Guid conversationId, int timeoutSeconds = 10) =>
        Wait.ForAsync(() => server.AssigneeAsync(conversationId), assignee => assignee is not null, "routing to assign the conversation", timeoutSeconds);

    public static Task<List<string>> TimelineAsync(this KefuFactory server, Guid conversationId) =>
        server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == conversationId).OrderBy(e => e.Id).Select(e => e.Type + " " + e.Data).ToListAsync());
}
