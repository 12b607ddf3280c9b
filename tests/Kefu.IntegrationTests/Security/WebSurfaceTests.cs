using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.Security;

/// <summary>Behind a proxy, cookies and caches: what leaves the server around the payload.</summary>
public sealed class WebSurfaceTests
{
    [Fact]
    public async Task SignInCookie_BehindTrustedTlsProxy_IsSecure()
    {
        await using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:Hosting:TrustedProxies:0"] = "127.0.0.1" } }.Start();

        var (response, _) = await ConsoleSession.PostLoginAsync(server, KefuFactory.AdminEmail, KefuFactory.AdminPassword, request =>
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Remove("Origin");
            request.Headers.Add("Origin", "https://" + server.BaseAddress.Authority);
        });

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kefu.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnUntrustedPeer_AreIgnored()
    {
        await using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:RateLimits:SignInsPerMinutePerIp"] = "1" } }.Start();

        var (response, _) = await ConsoleSession.PostLoginAsync(server, KefuFactory.AdminEmail, KefuFactory.AdminPassword,
            request => request.Headers.Add("X-Forwarded-Proto", "https"));
        using var http = server.Http();
        var spoofed = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token") { Content = JsonContent.Create(new { email = "x@test.local", password = "wrong-password" }) };
        spoofed.Headers.Add("X-Forwarded-For", "203.0.113.9");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kefu.auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(spoofed)).StatusCode);
    }

    [Fact]
    public async Task BehindTrustedProxy_EachClientAddressHasItsOwnSignInBudget()
    {
        await using var server = new KefuFactory
        {
            Settings = new Dictionary<string, string> { ["Kefu:Hosting:TrustedProxies:0"] = "127.0.0.0/8", ["Kefu:RateLimits:SignInsPerMinutePerIp"] = "1" },
        }.Start();
        using var http = server.Http();

        async Task<HttpStatusCode> AttemptFrom(string client)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token") { Content = JsonContent.Create(new { email = "x@test.local", password = "wrong-password" }) };
            request.Headers.Add("X-Forwarded-For", client);
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await AttemptFrom("203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AttemptFrom("203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AttemptFrom("203.0.113.1"));
    }

    [Fact]
    public async Task TokenResponses_AndAuthenticatedJson_AreNotCached()
    {
        await using var server = new KefuFactory().Start();
        using var anonymous = server.Http();
        var token = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = KefuFactory.AdminEmail, password = KefuFactory.AdminPassword });
        using var agent = await server.AgentHttpAsync();
        var list = await agent.GetAsync("/api/v1/conversations");
        var session = await anonymous.PostAsJsonAsync("/api/v1/widget/sessions", new { key = await server.DemoWidgetKeyAsync() });

        Assert.All(new[] { token, list, session }, r =>
        {
            Assert.True(r.IsSuccessStatusCode);
            Assert.True(r.Headers.CacheControl?.NoStore, r.RequestMessage!.RequestUri!.AbsolutePath);
        });
    }

    [Fact]
    public async Task MemoryDiagnostics_GetNeverCollects_CollectIsAnAdminPost()
    {
        await using var server = new KefuFactory().Start();
        using var admin = await server.AgentHttpAsync();
        using var agent = await server.AgentHttpAsync(await server.AgentTokenAsync(await server.CreateAgentInDemoTenantAsync()));

        var read = await admin.GetFromJsonAsync<JsonElement>("/api/v1/diagnostics/memory?collect=true");
        var collect = await admin.PostAsync("/api/v1/diagnostics/memory/collect", null);
        var byAgent = await agent.PostAsync("/api/v1/diagnostics/memory/collect", null);

        Assert.False(read.GetProperty("collected").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, collect.StatusCode);
        Assert.True((await collect.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("collected").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
    }
}
