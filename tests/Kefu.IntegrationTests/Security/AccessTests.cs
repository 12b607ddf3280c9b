using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Security;

public sealed class AccessTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Theory]
    [InlineData("GET", "/api/v1/conversations")]
    [InlineData("GET", "/api/v1/conversations/0193a1a4-0000-7000-8000-000000000000/messages")]
    [InlineData("POST", "/api/v1/conversations/0193a1a4-0000-7000-8000-000000000000/resolve")]
    [InlineData("GET", "/api/v1/contacts/0193a1a4-0000-7000-8000-000000000000")]
    public async Task AgentEndpoints_WithoutAgent_Answer401(string method, string path)
    {
        using var anonymous = _server.Http();
        using var asVisitor = _server.Http();
        asVisitor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await _server.NewVisitorAsync()).Token);

        var noAuth = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var visitorAuth = await asVisitor.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, noAuth.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, visitorAuth.StatusCode);
    }

    [Fact]
    public async Task Visitor_CannotReadOrWriteAnotherVisitorsConversation()
    {
        var alice = await _server.NewVisitorAsync();
        await using var aliceHub = await _server.ConnectVisitorAsync(alice.Token);
        var aliceMessage = await aliceHub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "a-1", "private", null));
        var mallory = await _server.NewVisitorAsync();
        await using var malloryHub = await _server.ConnectVisitorAsync(mallory.Token);
        var aliceConversation = aliceMessage.Value!.ConversationId;

        var read = await malloryHub.InvokeAsync<HubResult<MessagePage>>("GetMessages", aliceConversation, 0L, 100);
        var write = await malloryHub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(aliceConversation, "m-1", "intrusion", null));
        var typing = await malloryHub.InvokeAsync<HubResult<bool>>("Typing", aliceConversation, true);

        Assert.Equal("conversation_not_found", read.Error!.Code);
        Assert.Equal("conversation_not_found", write.Error!.Code);
        Assert.Equal("conversation_not_found", typing.Error!.Code);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == aliceConversation)));
        Assert.False(await _server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.ContactId == mallory.ContactId)));
    }

    [Fact]
    public async Task AgentOfAnotherTenant_Gets404_ForEveryConversationEndpoint()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "t-1", "mine", null));
        var id = ack.Value!.ConversationId;
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        var otherToken = await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword);
        using var other = await _server.AgentHttpAsync(otherToken);

        var responses = new[]
        {
            await other.GetAsync($"/api/v1/conversations/{id}/messages"),
            await other.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "o-1", text = "hi" }),
            await other.PostAsync($"/api/v1/conversations/{id}/resolve", null),
            await other.PostAsync($"/api/v1/conversations/{id}/reopen", null),
            await other.PostAsync($"/api/v1/conversations/{id}/read", null),
            await other.GetAsync($"/api/v1/contacts/{session.ContactId}"),
        };
        var list = await other.GetFromJsonAsync<List<ConversationDto>>("/api/v1/conversations?status=all", KefuFactory.Json);
        await using var otherHub = await _server.ConnectAgentAsync(otherToken);
        var hubSend = await otherHub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", id, new AgentSendMessage("o-2", "hi", null));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.DoesNotContain(list!, c => c.Id == id);
        Assert.Equal("conversation_not_found", hubSend.Error!.Code);
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == id));
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Equal(1, conversation.LastSeq);
    }

    [Fact]
    public async Task VisitorToken_OfAnotherTenantsInbox_DoesNotCarryIntoThisInbox()
    {
        var (otherKey, _) = await _server.CreateOtherTenantAsync();
        var otherVisitor = await _server.NewVisitorAsync(otherKey);

        var here = await _server.NewVisitorAsync(token: otherVisitor.Token);

        Assert.NotEqual(otherVisitor.ContactId, here.ContactId);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task VisitorHub_WithForgedToken_IsRefused(string token)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => _server.ConnectVisitorAsync(token));

        Assert.Contains("401", error.Message);
    }

    [Fact]
    public async Task VisitorHub_WithExpiredToken_IsRefused()
    {
        var session = await _server.NewVisitorAsync();
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-60));
        var tokens = new VisitorTokens(_server.Services.GetRequiredService<IDataProtectionProvider>(), past,
            _server.Services.GetRequiredService<IOptions<WidgetOptions>>());
        var inboxId = await _server.WithDbAsync(db => db.Inboxes.Select(i => new { i.Id, i.TenantId }).FirstAsync());
        var (expired, _) = tokens.Issue(new VisitorIdentity(inboxId.TenantId, inboxId.Id, session.ContactId));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => _server.ConnectVisitorAsync(expired));

        Assert.Contains("401", error.Message);
    }

    [Fact]
    public async Task WidgetSession_FromForeignOrigin_Is403()
    {
        using var http = _server.Http();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/widget/sessions") { Content = JsonContent.Create(new { key = await _server.DemoWidgetKeyAsync() }) };
        request.Headers.Add("Origin", "https://evil.example");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task VisitorHub_FromForeignOrigin_IsRefused_AndFromAllowedOrigin_Works()
    {
        var session = await _server.NewVisitorAsync();
        HubConnection Connect(string origin) => new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, "/hubs/visitor"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(session.Token);
                o.Headers["Origin"] = origin;
            })
            .Build();

        await using var evil = Connect("https://evil.example");
        await using var allowed = Connect("http://localhost:5000");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => evil.StartAsync());
        Assert.Contains("403", error.Message);
        await allowed.StartAsync();
        Assert.Equal(HubConnectionState.Connected, allowed.State);
    }

    [Fact]
    public async Task WidgetFrame_AllowsOnlyTheInboxSitesAsAncestors()
    {
        using var http = _server.Http();

        var frame = await http.GetAsync($"/widget/frame?key={await _server.DemoWidgetKeyAsync()}");
        var unknown = await http.GetAsync("/widget/frame?key=nope");

        var csp = frame.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'self' http://localhost:5000", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
