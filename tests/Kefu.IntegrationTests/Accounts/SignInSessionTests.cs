using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using static Kefu.IntegrationTests.Accounts.SignInClient;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>Sessions are rows: listed, ended one at a time (by their owner or an admin), and refresh tokens rotate.</summary>
public sealed class SignInSessionTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Sessions_OfCookieAndToken_AreListed_WithTheCurrentOneMarked()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var (console, _, _) = await ConsoleSignIn.PostAsync(_server, email, KefuFactory.AdminPassword);
        var tokens = await TokensAsync(_server, email);
        using var http = Bearer(_server, tokens.Access);

        var sessions = await SessionsAsync(http);

        Assert.Equal(2, sessions.Length);
        var current = Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.Equal("token", current.GetProperty("kind").GetString());
        Assert.Equal("kefu-tests/1.0", current.GetProperty("userAgent").GetString());
        Assert.Equal("127.0.0.1", current.GetProperty("clientIp").GetString());
        Assert.Single(sessions, s => s.GetProperty("kind").GetString() == "console");
        Assert.Single(await SessionsAsync(console), s => s.GetProperty("current").GetBoolean() && s.GetProperty("kind").GetString() == "console");
        Assert.Single(await AuditAsync(_server, AuditActions.SignedIn, current.GetProperty("id").GetString()));
        console.Dispose();
    }

    [Fact]
    public async Task EndingASession_RefusesItsToken_ClosesItsHubConnections_AndLeavesTheOthers()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var first = await TokensAsync(_server, email);
        var second = await TokensAsync(_server, email);
        using var firstHttp = Bearer(_server, first.Access);
        using var secondHttp = Bearer(_server, second.Access);
        await using var firstHub = await _server.ConnectAgentAsync(first.Access);
        await using var secondHub = await _server.ConnectAgentAsync(second.Access);
        var firstClosed = Closed(firstHub);
        var firstId = (await SessionsAsync(firstHttp)).Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();

        var ended = await secondHttp.DeleteAsync($"/api/v1/account/sessions/{firstId}");

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        await firstClosed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await firstHttp.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(_server, first.Refresh)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await secondHttp.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HubConnectionStateConnected, secondHub.State.ToString());
        Assert.DoesNotContain(await SessionsAsync(secondHttp), s => s.GetProperty("id").GetString() == firstId);
        Assert.Single(await AuditAsync(_server, AuditActions.SessionEnded, firstId));
        Assert.Equal(HttpStatusCode.NotFound, (await secondHttp.DeleteAsync($"/api/v1/account/sessions/{firstId}")).StatusCode); // already ended
    }

    private const string HubConnectionStateConnected = "Connected";

    [Fact]
    public async Task AnotherUsersSession_CannotBeEnded_AndReads404()
    {
        var victim = await TokensAsync(_server, await _server.CreateAgentInDemoTenantAsync());
        using var victimHttp = Bearer(_server, victim.Access);
        var victimSession = (await SessionsAsync(victimHttp)).Single().GetProperty("id").GetString();
        using var admin = await _server.AgentHttpAsync();

        var response = await admin.DeleteAsync($"/api/v1/account/sessions/{victimSession}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("session_not_found", await CodeOfAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/account/sessions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victimHttp.GetAsync("/api/v1/conversations")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheCurrentSessionOnly()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        using var leaving = Bearer(_server, (await TokensAsync(_server, email)).Access);
        using var staying = Bearer(_server, (await TokensAsync(_server, email)).Access);

        Assert.Equal(HttpStatusCode.NoContent, (await leaving.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await leaving.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staying.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Single(await SessionsAsync(staying));
    }

    [Fact]
    public async Task AnAdmin_EndsEverySessionOfAnAgent_OfTheirWorkspaceOnly()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var id = await UserIdAsync(_server, email);
        var tokens = await TokensAsync(_server, email);
        using var asAgent = Bearer(_server, tokens.Access);
        await using var hub = await _server.ConnectAgentAsync(tokens.Access);
        var closed = Closed(hub);
        using var otherAgent = Bearer(_server, (await TokensAsync(_server, await _server.CreateAgentInDemoTenantAsync())).Access);
        var (_, otherAdminEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherAdminEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var otherAdmin = Bearer(_server, (await TokensAsync(_server, otherAdminEmail)).Access);
        using var admin = await _server.AgentHttpAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await otherAgent.PostAsync($"/api/v1/agents/{id}/sessions/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsync($"/api/v1/agents/{id}/sessions/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asAgent.GetAsync("/api/v1/conversations")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/agents/{id}/sessions/end", null)).StatusCode);

        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await asAgent.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(0, await _server.WithDbAsync(db => db.AgentSessions.CountAsync(s => s.UserId == id && s.EndedAt == null)));
        Assert.Single(await AuditAsync(_server, AuditActions.SessionsEnded, id.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword)).StatusCode); // not locked out
    }

    [Fact]
    public async Task RefreshToken_WorksOnce_AndItsReuseEndsTheSession()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var first = await TokensAsync(_server, email);

        var refreshed = await RefreshAsync(_server, first.Refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        var second = new Tokens(body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
        using var secondHttp = Bearer(_server, second.Access);
        var sessions = await SessionsAsync(secondHttp);
        Assert.Single(sessions); // the same session, renewed

        var reused = await RefreshAsync(_server, first.Refresh);

        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondHttp.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(_server, second.Refresh)).StatusCode);
        var sessionId = sessions[0].GetProperty("id").GetString();
        Assert.Single(await AuditAsync(_server, AuditActions.RefreshTokenReused, sessionId));
    }

    [Fact]
    public async Task RefreshTokens_RaceWithOneToken_OnlyOneWins()
    {
        var first = await TokensAsync(_server, await _server.CreateAgentInDemoTenantAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(_server, first.Refresh)));

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
    }
}
