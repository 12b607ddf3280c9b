using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.ApiKeys;

/// <summary>
/// Every list pages with a capped page size (ADR 0031): <c>pageSize=1000000</c> is refused with 400 naming
/// <c>pageSize</c> on every GET of the API, found at run time; array lists page by cursor; older <c>limit</c>s keep working.
/// </summary>
public sealed partial class PagingCapTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Theory]
    [InlineData("/api/v1/api-keys?pageSize=1000000")]
    [InlineData("/api/v1/conversations?limit=1000000")]
    [InlineData("/api/v1/contacts?limit=1000000")]
    [InlineData("/api/v1/notifications?limit=1000000")]
    [InlineData("/api/v1/search?q=hello&pageSize=1000000")]
    public async Task AHugePage_IsRefusedWith400(string url)
    {
        using var admin = await _server.AgentHttpAsync();

        var response = await admin.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("problem+json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryGetOfTheApi_RefusesAMillionItemPage_NamingPageSize()
    {
        using var admin = await _server.AgentHttpAsync();
        var routes = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/v1/", StringComparison.Ordinal) &&
                        (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? false))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} GET routes found");

        var failures = new List<string>();
        foreach (var route in routes)
        {
            // Any id: the page size is checked before the object is looked up, so nothing is found or read.
            var url = RouteParameter().Replace(route, m => m.Value.Contains(":long", StringComparison.Ordinal) ? "1" : m.Value.Contains(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "x");
            var response = await admin.GetAsync(url + "?q=x&pageSize=1000000");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || !body.Contains("pageSize", StringComparison.Ordinal))
            {
                failures.Add($"{route}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            }
        }

        Assert.True(failures.Count == 0, "GETs that did not refuse pageSize=1000000:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task AnArrayList_PagesByCursor_InHeaders_AndWithoutParametersAnswersEverything()
    {
        using var admin = await _server.AgentHttpAsync();
        var prefix = "Paging " + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++)
        {
            (await admin.PostAsJsonAsync("/api/v1/teams", new { name = $"{prefix} {i}" })).EnsureSuccessStatusCode();
        }

        var all = await Names(await admin.GetAsync("/api/v1/teams"));
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await admin.GetAsync("/api/v1/teams?pageSize=2" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var names = await Names(page);
            Assert.InRange(names.Count, 1, 2);
            seen.AddRange(names);
            cursor = page.Headers.TryGetValues("Kefu-Next-Cursor", out var next) ? next.Single() : null;
            Assert.Equal(cursor is not null, page.Headers.TryGetValues("Link", out var link) && link.Single().Contains("rel=\"next\"", StringComparison.Ordinal));
            pages++;
        }
        while (cursor is not null && pages < 50);

        Assert.Equal(all, seen); // every team once, in the list's order
        Assert.True(all.Count(n => n.StartsWith(prefix, StringComparison.Ordinal)) == 3 && pages == (all.Count + 1) / 2);

        var bad = await admin.GetAsync("/api/v1/teams?cursor=not-ours");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_cursor", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // An older list's limit: pageSize is its new name.
        var notifications = await admin.GetFromJsonAsync<JsonElement>("/api/v1/notifications?pageSize=1");
        Assert.True(notifications.ValueKind == JsonValueKind.Object);
    }

    [Fact]
    public async Task Conversations_PageByAKeysetCursor_ThroughTiesOfOneActivityTime()
    {
        // A workspace of its own, without a bot: nothing but these visitors moves its conversations' activity times.
        var (key, email) = await _server.CreateOtherTenantAsync();
        using var admin = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));
        var made = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var session = await _server.NewVisitorAsync(key);
            await using var visitor = await _server.ConnectVisitorAsync(session.Token);
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), "paging", null));
            made.Add(ack.Value!.ConversationId);
        }

        // One activity time for all five: only the id can order them, so a cursor of time alone would skip or repeat.
        var tie = new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await _server.WithDbAsync(db => db.Conversations.Where(c => made.Contains(c.Id)).ExecuteUpdateAsync(u => u.SetProperty(c => c.LastMessageAt, tie)));

        var all = await Ids(await admin.GetAsync("/api/v1/conversations?status=all&limit=500"));
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await admin.GetAsync("/api/v1/conversations?status=all&pageSize=2" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var ids = await Ids(page);
            Assert.InRange(ids.Count, 1, 2);
            seen.AddRange(ids);
            cursor = page.Headers.TryGetValues("Kefu-Next-Cursor", out var next) ? next.Single() : null;
            Assert.Equal(cursor is not null, page.Headers.TryGetValues("Link", out var link) && link.Single().Contains("rel=\"next\"", StringComparison.Ordinal));
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(all, seen); // every conversation once, in the list's order
        Assert.Equal(made.Order(), seen.Order()); // the five, and only the workspace's own
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var bad = await admin.GetAsync("/api/v1/conversations?cursor=bm90LW91cnM");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_cursor", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Notifications_PageByAKeysetCursor_ThroughTiesOfOneTime()
    {
        var (key, email) = await _server.CreateOtherTenantAsync();
        using var agent = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));
        var (tenantId, agentId) = await _server.WithDbAsync(async db => await db.Users.Where(u => u.Email == email).Select(u => new { u.TenantId, u.Id }).SingleAsync() is var u ? (u.TenantId, u.Id) : default);
        var conversations = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var session = await _server.NewVisitorAsync(key);
            await using var visitor = await _server.ConnectVisitorAsync(session.Token);
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), "bell", null));
            conversations.Add(ack.Value!.ConversationId);
        }

        // Five bell lines raised at one instant: only the id orders them.
        var at = new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = conversations.ConvertAll(c => new Kefu.Server.Features.Notifications.AgentNotification
        {
            Id = Guid.NewGuid(), TenantId = tenantId, AgentId = agentId, Kind = Kefu.Server.Features.Notifications.NotificationKind.Mention, ConversationId = c,
            Count = 1, CreatedAt = at, UpdatedAt = at,
        });
        await _server.WithDbAsync(db => { db.Notifications.AddRange(lines); return db.SaveChangesAsync(); });

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await agent.GetFromJsonAsync<JsonElement>("/api/v1/notifications?pageSize=2" + (cursor is null ? "" : "&cursor=" + cursor));
            var ids = page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetGuid()).ToList();
            Assert.InRange(ids.Count, 1, 2);
            Assert.Equal(5, page.GetProperty("total").GetInt32());
            seen.AddRange(ids);
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(lines.Select(l => l.Id).OrderDescending(), seen); // newest first: one time, then the id, each once

        var bad = await agent.GetAsync("/api/v1/notifications?cursor=bm90LW91cnM");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_cursor", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static async Task<List<Guid>> Ids(HttpResponseMessage response) =>
        [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];

    private static async Task<List<string>> Names(HttpResponseMessage response) =>
        [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
