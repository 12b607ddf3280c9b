using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Security;

/// <summary>Sessions end when they should: sign-out, password change, deactivation; tokens refresh only while they stand.</summary>
public sealed class SessionTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private const string NewPassword = "Another-Password-456?";
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task CopiedConsoleCookie_StopsWorking_AfterSignOut()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var (console, signedIn, _) = await ConsoleSignIn.PostAsync(_server, email, KefuFactory.AdminPassword);
        using var thief = _server.Http();
        thief.DefaultRequestHeaders.Add("Cookie", ConsoleSignIn.AuthCookie(signedIn));
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/v1/conversations")).StatusCode);

        var signOut = await console.PostAsync("/console/logout", null);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/v1/conversations")).StatusCode);
        console.Dispose();
    }

    [Fact]
    public async Task SignOut_EndsBearerTokens_AndTheirRefresh_AndHubConnections()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var tokens = await TokensAsync(email, KefuFactory.AdminPassword);
        using var http = await _server.AgentHttpAsync(tokens.Access);
        await using var hub = await _server.ConnectAgentAsync(tokens.Access);
        var closed = Closed(hub);

        var signOut = await http.PostAsync("/api/v1/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(tokens.Refresh)).StatusCode);
        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => _server.ConnectAgentAsync(tokens.Access));
    }

    [Fact]
    public async Task RefreshToken_GivesAWorkingAccessToken()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var tokens = await TokensAsync(email, KefuFactory.AdminPassword);

        var refreshed = await RefreshAsync(tokens.Refresh);
        var body = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        using var http = await _server.AgentHttpAsync(body.GetProperty("accessToken").GetString());

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.True(body.GetProperty("refreshToken").GetString()!.Length > 0);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(tokens.Access)).StatusCode); // an access token is no refresh token
    }

    [Fact]
    public async Task PasswordChange_NeedsTheCurrentPassword_AndEndsOtherSessions()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var tokens = await TokensAsync(email, KefuFactory.AdminPassword);
        using var http = await _server.AgentHttpAsync(tokens.Access);

        var wrongCurrent = await http.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = "Not-the-password-1!", newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.Contains("currentPassword", await wrongCurrent.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/conversations")).StatusCode);

        var changed = await http.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = KefuFactory.AdminPassword, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(tokens.Refresh)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(email, KefuFactory.AdminPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(email, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task PasswordChange_FromTheConsole_KeepsThatConsoleSignedIn_ButEndsACopiedCookie()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var (console, signedIn, _) = await ConsoleSignIn.PostAsync(_server, email, KefuFactory.AdminPassword);
        using var thief = _server.Http();
        thief.DefaultRequestHeaders.Add("Cookie", ConsoleSignIn.AuthCookie(signedIn));

        var changed = await console.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = KefuFactory.AdminPassword, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/v1/conversations")).StatusCode);
        console.Dispose();
    }

    [Fact]
    public async Task Deactivation_ByAnAdmin_EndsEverySession_AndSignInFailsLikeAWrongPassword()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var id = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var tokens = await TokensAsync(email, KefuFactory.AdminPassword);
        using var asAgent = await _server.AgentHttpAsync(tokens.Access);
        await using var hub = await _server.ConnectAgentAsync(tokens.Access);
        var closed = Closed(hub);
        using var admin = await _server.AgentHttpAsync();

        var deactivated = await admin.PostAsync($"/api/v1/agents/{id}/deactivate", null);

        Assert.Equal(HttpStatusCode.NoContent, deactivated.StatusCode);
        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await asAgent.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(tokens.Refresh)).StatusCode);
        var signIn = await TokenResponseAsync(email, KefuFactory.AdminPassword);
        var wrongPassword = await TokenResponseAsync(await _server.CreateAgentInDemoTenantAsync(), "Wrong-password-1!");
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(
            (await wrongPassword.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(),
            (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Deactivation_IsForAdminsOfTheSameWorkspace_AndNotOfThemselves()
    {
        var target = await _server.CreateAgentInDemoTenantAsync();
        var targetId = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == target).Select(u => u.Id).SingleAsync());
        var adminId = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        using var agent = await _server.AgentHttpAsync(await _server.AgentTokenAsync(await _server.CreateAgentInDemoTenantAsync(), KefuFactory.AdminPassword));
        var (_, otherAdminEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherAdminEmail)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, Kefu.Server.Features.Accounts.Contracts.AgentRole.Admin)));
        using var otherAdmin = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherAdminEmail, KefuFactory.AdminPassword));
        using var admin = await _server.AgentHttpAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync($"/api/v1/agents/{targetId}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsync($"/api/v1/agents/{targetId}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync($"/api/v1/agents/{adminId}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(target, KefuFactory.AdminPassword)).StatusCode);
    }

    private static Task Closed(HubConnection hub)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private async Task<HttpResponseMessage> TokenResponseAsync(string email, string password)
    {
        using var http = _server.Http();
        return await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
    }

    private async Task<(string Access, string Refresh)> TokensAsync(string email, string password)
    {
        var response = await TokenResponseAsync(email, password);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
    {
        using var http = _server.Http();
        return await http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
    }
}
