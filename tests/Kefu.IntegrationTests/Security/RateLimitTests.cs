using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Security;

/// <summary>Sign-in and message limits: each test starts a server with limits small enough to reach.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task TokenEndpoint_AfterTooManyAttemptsFromOneAddress_Answers429WithRetryAfter()
    {
        await using var server = Server(("Kefu:RateLimits:SignInsPerMinutePerIp", "3"));
        using var http = server.Http();

        var attempts = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            attempts.Add(await http.PostAsJsonAsync("/api/v1/auth/token", new { email = $"nobody{i}@test.local", password = "wrong-password" }));
        }

        var throttled = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = KefuFactory.AdminEmail, password = KefuFactory.AdminPassword });

        Assert.All(attempts, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task TokenEndpoint_AfterTooManyAttemptsOnOneAccount_Answers429_WhileOtherAccountsSignIn()
    {
        var logs = new LogCollector();
        await using var server = Server(logs, ("Kefu:RateLimits:SignInsPerMinutePerAccount", "3"));
        var agentEmail = await server.CreateAgentInDemoTenantAsync();
        using var http = server.Http();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await http.PostAsJsonAsync("/api/v1/auth/token", new { email = KefuFactory.AdminEmail, password = "wrong-password" })).StatusCode);
        }

        var throttled = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = KefuFactory.AdminEmail.ToUpperInvariant(), password = KefuFactory.AdminPassword });
        var otherAccount = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = agentEmail, password = KefuFactory.AdminPassword });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, otherAccount.StatusCode);
        Assert.Equal(3, logs.Entries.Count(e => e.Id.Id == 9001));
        Assert.Single(logs.Entries, e => e.Id.Id == 9005);
    }

    [Fact]
    public async Task FailedSignIns_AndLockout_AreLoggedByUserId_NeverByEmail()
    {
        var logs = new LogCollector();
        await using var server = Server(logs);
        var adminId = await server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        using var http = server.Http();

        for (var i = 0; i < 6; i++)
        {
            await http.PostAsJsonAsync("/api/v1/auth/token", new { email = KefuFactory.AdminEmail, password = "wrong-password" });
        }

        await http.PostAsJsonAsync("/api/v1/auth/token", new { email = "unknown@test.local", password = "wrong-password" });

        Assert.Equal(4, logs.Entries.Count(e => e.Id.Id == 9001 && e.Text.Contains(adminId.ToString(), StringComparison.Ordinal)));
        Assert.Single(logs.Entries, e => e.Id.Id == 9003 && e.Text.Contains(adminId.ToString(), StringComparison.Ordinal));
        Assert.Single(logs.Entries, e => e.Id.Id == 9004);
        Assert.Single(logs.Entries, e => e.Id.Id == 9002);
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains("@test.local", StringComparison.OrdinalIgnoreCase) || e.Text.Contains("wrong-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsoleLogin_AfterTooManyAttempts_Answers429WithRetryAfter_AndSaysSo()
    {
        await using var server = Server(("Kefu:RateLimits:SignInsPerMinutePerIp", "2"));

        var first = await ConsoleSession.PostLoginAsync(server, KefuFactory.AdminEmail, "wrong-password");
        var second = await ConsoleSession.PostLoginAsync(server, KefuFactory.AdminEmail, "wrong-password");
        var (throttled, cookies) = await ConsoleSession.PostLoginAsync(server, KefuFactory.AdminEmail, KefuFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.Response.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many sign-in attempts", await throttled.Content.ReadAsStringAsync());
        Assert.DoesNotContain("kefu.auth", cookies.GetCookieHeader(server.BaseAddress));
    }

    [Fact]
    public async Task Visitor_SendingFasterThanTheLimit_GetsRateLimited_AndNothingExtraIsStored()
    {
        await using var server = Server(("Kefu:RateLimits:VisitorMessagesPerSecond", "0.01"), ("Kefu:RateLimits:VisitorMessageBurst", "3"));
        var session = await server.NewVisitorAsync();
        await using var hub = await server.ConnectVisitorAsync(session.Token);
        var other = await server.NewVisitorAsync();
        await using var otherHub = await server.ConnectVisitorAsync(other.Token);

        var acks = new List<HubResult<SendMessageResult>>();
        for (var i = 0; i < 5; i++)
        {
            acks.Add(await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, $"flood-{i}", "spam", null)));
        }

        var otherAck = await otherHub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "calm-1", "hello", null));

        Assert.All(acks.Take(3), a => Assert.True(a.Ok));
        Assert.All(acks.Skip(3), a =>
        {
            Assert.Equal("rate_limited", a.Error!.Code);
            Assert.InRange(a.Error.RetryAfterSeconds!.Value, 1, 100);
        });
        Assert.True(otherAck.Ok);
        Assert.Equal(3, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == acks[0].Value!.ConversationId)));
    }

    [Fact]
    public async Task Agent_SendingFasterThanTheLimit_IsLimited_OnTheHubAndTheRestApiAlike()
    {
        await using var server = Server(("Kefu:RateLimits:AgentMessagesPerSecond", "0.01"), ("Kefu:RateLimits:AgentMessageBurst", "2"));
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var conversation = (await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-1", "hi", null))).Value!.ConversationId;
        var token = await server.AgentTokenAsync();
        await using var agent = await server.ConnectAgentAsync(token);
        using var http = await server.AgentHttpAsync(token);

        var first = await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSendMessage("a-1", "one", null));
        var second = await http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { clientMessageId = "a-2", text = "two" });
        var third = await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSendMessage("a-3", "three", null));
        var fourth = await http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new { clientMessageId = "a-4", text = "four" });

        Assert.True(first.Ok);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("rate_limited", third.Error!.Code);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.NotNull(fourth.Headers.RetryAfter?.Delta);
        var problem = await fourth.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal(3, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversation)));
    }

    [Fact]
    public async Task WidgetSessionLimit_Answers429WithRetryAfter()
    {
        await using var server = Server(("Kefu:Widget:SessionsPerMinutePerIp", "1"));
        var key = await server.DemoWidgetKeyAsync();
        using var http = server.Http();

        var first = await http.PostAsJsonAsync("/api/v1/widget/sessions", new { key });
        var second = await http.PostAsJsonAsync("/api/v1/widget/sessions", new { key });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Theory]
    [InlineData("Kefu:RateLimits:VisitorMessageBurst", "0")]
    [InlineData("Kefu:RateLimits:SignInsPerMinutePerIp", "-1")]
    [InlineData("Kefu:Hosting:TrustedProxies:0", "not-an-address")]
    [InlineData("Kefu:Hosting:ConsoleOrigins:0", "https://kefu.example.com/console")]
    public void WrongLimitOrHostingSetting_StopsTheStart(string key, string value)
    {
        using var server = new KefuFactory { Settings = new Dictionary<string, string> { [key] = value } };

        var error = Assert.ThrowsAny<Exception>(() => server.Start());

        Assert.Contains(key.Split(':')[2], error.ToString());
    }

    private static KefuFactory Server(params (string Key, string Value)[] settings) => Server(null, settings);

    private static KefuFactory Server(LogCollector? logs, params (string Key, string Value)[] settings) =>
        new KefuFactory { Logs = logs, Settings = settings.ToDictionary(s => s.Key, s => s.Value) }.Start();
}
