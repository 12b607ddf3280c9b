using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Security;

/// <summary>An agent acts only on conversations that are unassigned or theirs; supervisors and admins on any.</summary>
public sealed class ConversationAccessTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    public static TheoryData<string> Actions => ["resolve", "reopen", "read", "messages"];

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Agent_ActingOnAnotherAgentsConversation_OverHttp_Gets403_AndNothingChanges(string action)
    {
        var (conversationId, _) = await ConversationAssignedToAsync(await NewUserAsync(AgentRole.Agent), resolved: action == "reopen", unread: true);
        using var intruder = await _server.AgentHttpAsync(await TokenAsync(await NewUserAsync(AgentRole.Agent)));
        var before = await SnapshotAsync(conversationId);

        var response = action == "messages"
            ? await intruder.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "x-1", text = "not mine" })
            : await intruder.PostAsync($"/api/v1/conversations/{conversationId}/{action}", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"forbidden\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await SnapshotAsync(conversationId));
    }

    [Fact]
    public async Task Agent_ActingOnAnotherAgentsConversation_OverTheHub_GetsForbidden_AndNothingChanges()
    {
        var owner = await NewUserAsync(AgentRole.Agent);
        var (open, _) = await ConversationAssignedToAsync(owner, resolved: false, unread: true);
        var (resolved, _) = await ConversationAssignedToAsync(owner, resolved: true, unread: false);
        await using var hub = await _server.ConnectAgentAsync(await TokenAsync(await NewUserAsync(AgentRole.Agent)));
        var before = (await SnapshotAsync(open), await SnapshotAsync(resolved));

        var send = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", open, new AgentSendMessage("h-1", "not mine", null));
        var resolve = await hub.InvokeAsync<HubResult<ConversationDto>>("Resolve", open);
        var read = await hub.InvokeAsync<HubResult<ConversationDto>>("MarkRead", open);
        var reopen = await hub.InvokeAsync<HubResult<ConversationDto>>("Reopen", resolved);
        var typing = await hub.InvokeAsync<HubResult<bool>>("Typing", open, true);

        Assert.All(new[] { send.Error, resolve.Error, read.Error, reopen.Error, typing.Error }, e => Assert.Equal("forbidden", e!.Code));
        Assert.Equal(before, (await SnapshotAsync(open), await SnapshotAsync(resolved)));
    }

    [Theory]
    [InlineData(AgentRole.Supervisor)]
    [InlineData(AgentRole.Admin)]
    public async Task SupervisorsAndAdmins_MayActOnAnyConversation(AgentRole role)
    {
        var (conversationId, _) = await ConversationAssignedToAsync(await NewUserAsync(AgentRole.Agent), resolved: false, unread: true);
        using var http = await _server.AgentHttpAsync(await TokenAsync(await NewUserAsync(role)));

        var send = await http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new { clientMessageId = "s-1", text = "stepping in" });
        var read = await http.PostAsync($"/api/v1/conversations/{conversationId}/read", null);
        var resolve = await http.PostAsync($"/api/v1/conversations/{conversationId}/resolve", null);
        var reopen = await http.PostAsync($"/api/v1/conversations/{conversationId}/reopen", null);

        Assert.Equal(HttpStatusCode.Created, send.StatusCode);
        Assert.All(new[] { read, resolve, reopen }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Agent_MayActOnTheirOwnAndOnUnassignedConversations()
    {
        var me = await NewUserAsync(AgentRole.Agent);
        var (mine, _) = await ConversationAssignedToAsync(me, resolved: false, unread: true);
        var (unassigned, _) = await ConversationAssignedToAsync(null, resolved: false, unread: true);
        using var http = await _server.AgentHttpAsync(await TokenAsync(me));

        var responses = new[]
        {
            await http.PostAsJsonAsync($"/api/v1/conversations/{mine}/messages", new { clientMessageId = "m-1", text = "mine" }),
            await http.PostAsync($"/api/v1/conversations/{mine}/resolve", null),
            await http.PostAsync($"/api/v1/conversations/{mine}/reopen", null),
            await http.PostAsync($"/api/v1/conversations/{unassigned}/read", null),
            await http.PostAsJsonAsync($"/api/v1/conversations/{unassigned}/messages", new { clientMessageId = "u-1", text = "I'll take it" }),
        };

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
    }

    private async Task<(Guid Id, string Email)> NewUserAsync(AgentRole role)
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, role)));
        // Changed behind the API's back: drop the access snapshot as the API's own role changes do.
        _server.Services.GetRequiredService<IAccessControl>().Invalidate(await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync()));
        return (await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync()), email);
    }

    private Task<string> TokenAsync((Guid Id, string Email) user) => _server.AgentTokenAsync(user.Email, KefuFactory.AdminPassword);

    /// <summary>A visitor's conversation, then set to the wanted assignee and state directly (routing is not under test).</summary>
    private async Task<(Guid Id, Guid ContactId)> ConversationAssignedToAsync((Guid Id, string Email)? assignee, bool resolved, bool unread)
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-1", "hello", null));
        var id = ack.Value!.ConversationId;
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AssigneeId, assignee == null ? null : assignee.Value.Id)
            .SetProperty(c => c.Status, resolved ? ConversationStatus.Resolved : ConversationStatus.Open)
            .SetProperty(c => c.UnreadCount, unread ? 1 : 0)));
        return (id, session.ContactId);
    }

    private Task<string> SnapshotAsync(Guid id) => _server.WithDbAsync(async db =>
    {
        var c = await db.Conversations.AsNoTracking().SingleAsync(x => x.Id == id);
        var messages = await db.Messages.CountAsync(m => m.ConversationId == id);
        return $"{c.Status} {c.AssigneeId} {c.UnreadCount} {c.LastSeq} {messages}";
    });
}
