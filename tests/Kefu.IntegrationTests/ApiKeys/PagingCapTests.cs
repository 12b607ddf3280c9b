using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.ApiKeys;

/// <summary>
/// Every list pages with a capped page size (ADR 0032): <c>pageSize=1000000</c> is refused with 400 naming
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

    private static async Task<List<string>> Names(HttpResponseMessage response) =>
        [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
