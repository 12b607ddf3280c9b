using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Access;

/// <summary>Builders for access tests: people with roles, inboxes and conversations in the demo workspace.</summary>
internal sealed class Workspace(KefuFactory server)
{
    public Task<Guid> TenantIdAsync() => server.WithDbAsync(db => db.Tenants.OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync());

    public Task<Guid> AdminIdAsync() => server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).Select(u => u.Id).SingleAsync());

    public Task<Guid> DemoInboxIdAsync() => server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());

    /// <summary>A new agent of the demo workspace with a built-in role; their id, e-mail and a bearer client.</summary>
    public async Task<Person> PersonAsync(AgentRole role = AgentRole.Agent, string name = "Person")
    {
        var email = await server.CreateAgentInDemoTenantAsync(name);
        var id = await server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        if (role != AgentRole.Agent)
        {
            await server.WithDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, role)));
            server.Services.GetRequiredService<IAccessControl>().Invalidate(await TenantIdAsync());
        }

        var token = await server.AgentTokenAsync(email, KefuFactory.AdminPassword);
        return new Person(id, email, token, await server.AgentHttpAsync(token));
    }

    /// <summary>A second inbox of the demo workspace; its id and widget key.</summary>
    public async Task<(Guid Id, string Key)> InboxAsync(string name)
    {
        var inbox = new Inbox { Id = Guid.CreateVersion7(), TenantId = await TenantIdAsync(), Name = name, WidgetKey = "k" + Guid.NewGuid().ToString("N")[..12], CreatedAt = DateTime.UtcNow };
        await server.WithDbAsync(async db =>
        {
            db.Inboxes.Add(inbox);
            return await db.SaveChangesAsync();
        });
        return (inbox.Id, inbox.WidgetKey!);
    }

    /// <summary>A visitor's conversation in the inbox of <paramref name="key"/>, set to <paramref name="assignee"/> directly (routing is not under test).</summary>
    public async Task<Guid> ConversationAsync(string? key = null, Guid? assignee = null, string text = "hello")
    {
        var session = await server.NewVisitorAsync(key);
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), text, null));
        var id = ack.Value!.ConversationId;
        await server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AssigneeId, assignee).SetProperty(c => c.Handler, assignee == null ? ConversationHandler.Queue : ConversationHandler.Agent)));
        return id;
    }
}

/// <summary>A signed-in person of a test.</summary>
internal sealed record Person(Guid Id, string Email, string Token, HttpClient Http) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

internal static class AccessApi
{
    public static async Task<string> CreateRoleAsync(this HttpClient admin, string name, params string[] permissions)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/roles", new { name, permissions });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> SetAccessAsync(this HttpClient admin, Guid agentId, string role, params Guid[] inboxes) =>
        admin.PutAsJsonAsync($"/api/v1/agents/{agentId}/access", new { role, inboxes });
}
