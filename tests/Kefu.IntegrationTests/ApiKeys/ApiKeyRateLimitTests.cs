using System.Net;
using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.ApiKeys;

/// <summary>The per-key request budget, on a server whose budget is small enough to reach.</summary>
public sealed class ApiKeyRateLimitTests
{
    [Fact]
    public async Task AKeyOverItsBudget_Gets429WithRetryAfter_AsProblemDetails_WhileOtherKeysAndPeopleGoOn()
    {
        await using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:ApiKeys:RequestsPerMinute"] = "3" } };
        server.Start();
        using var admin = await server.AgentHttpAsync();
        var (_, busy) = await admin.CreateKeyAsync("read", "contacts");
        var (_, other) = await admin.CreateKeyAsync("read", "contacts");
        using var busyHttp = server.KeyHttp(busy);
        using var otherHttp = server.KeyHttp(other);

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            allowed.Add((await busyHttp.GetAsync("/api/v1/contacts")).StatusCode);
        }

        var refused = await busyHttp.GetAsync("/api/v1/contacts");

        Assert.All(allowed, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", await refused.CodeAsync());
        Assert.Equal(HttpStatusCode.OK, (await otherHttp.GetAsync("/api/v1/contacts")).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/contacts")).StatusCode);
        }
    }
}
