using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.VisitorEvents;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Channels;

/// <summary>
/// The widget SDK's storing calls through real HTTP and the database: <c>Kefu.track</c> (POST /api/v1/widget/events)
/// and <c>Kefu.setAttributes</c> (PUT /api/v1/widget/attributes) on the visitor's own token. Bad input is refused with
/// the field and stores nothing; a visitor calling too often waits; the data goes with the contact's erasure.
/// </summary>
public sealed class WidgetSdkApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Track_StoresTheEvent_WithPropsAsTheServerWritesThem()
    {
        var (visitor, contactId) = await VisitorAsync();

        var response = await visitor.PostAsync("/api/v1/widget/events",
            Json("""{ "name": "cart.updated", "props": { "items": 3, "total": 129.5, "coupon": "SPRING", "gift": false } }"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = Assert.Single(await EventsAsync(contactId));
        Assert.Equal("cart.updated", stored.Name);
        Assert.Equal("""{"items":3,"total":129.5,"coupon":"SPRING","gift":false}""", stored.Props);
        Assert.Equal(await _server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync()), stored.InboxId);
    }

    [Theory]
    [InlineData("""{ "props": {} }""", "name")]
    [InlineData("""{ "name": "" }""", "name")]
    [InlineData("""{ "name": "1st" }""", "name")]
    [InlineData("""{ "name": "has space" }""", "name")]
    [InlineData("""{ "name": "<img src=x onerror=alert(1)>" }""", "name")]
    [InlineData("""{ "name": "a1234567890123456789012345678901234567890123456789012345678901234" }""", "name")]
    [InlineData("""{ "name": "ok", "props": [1, 2] }""", "props")]
    [InlineData("""{ "name": "ok", "props": "text" }""", "props")]
    [InlineData("""{ "name": "ok", "props": { "cart": { "items": 3 } } }""", "props")]
    [InlineData("""{ "name": "ok", "props": { "tags": ["a"] } }""", "props")]
    [InlineData("""{ "name": "ok", "props": { "bad key": 1 } }""", "props")]
    [InlineData("""{ "name": "ok", "props": { "__proto__": 1 } }""", "props")]
    [InlineData("""{ "name": "ok", "props": { "gone": null } }""", "props")]
    [InlineData("""{ "name": "ok", "props": { "a": 1, "a": 2 } }""", "props")]
    public async Task Track_BadInput_IsRefusedWithTheField_AndNothingIsStored(string body, string field)
    {
        var (visitor, contactId) = await VisitorAsync();

        var response = await visitor.PostAsync("/api/v1/widget/events", Json(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Empty(await EventsAsync(contactId));
    }

    [Fact]
    public async Task Track_TooManyOrTooLongProps_AreRefused_AndNothingIsStored()
    {
        var (visitor, contactId) = await VisitorAsync();
        var tooMany = Enumerable.Range(0, VisitorEventRules.MaxProps + 1).ToDictionary(i => $"k{i}", i => (object)i);
        var tooLong = new Dictionary<string, object> { ["note"] = new string('x', VisitorEventRules.MaxStringLength + 1) };
        // Each value within its own limit, together over the 2 KB the event may take.
        var tooBig = Enumerable.Range(0, 10).ToDictionary(i => $"k{i}", _ => (object)new string('y', 250));

        foreach (var props in new[] { tooMany, tooLong, tooBig })
        {
            var response = await visitor.PostAsJsonAsync("/api/v1/widget/events", new { name = "page.viewed", props });
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "props");
        }

        // Over the body limit: refused before it is read, whatever it holds.
        var huge = await visitor.PostAsync("/api/v1/widget/events", Json($$"""{ "name": "ok", "props": { "a": "{{new string('z', 20_000)}}" } }"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Empty(await EventsAsync(contactId));
    }

    [Fact]
    public async Task Track_WithoutAVisitorToken_OrWithAnAgentsToken_IsRefused()
    {
        using var nobody = _server.Http();
        using var agent = await _server.AgentHttpAsync();

        var anonymous = await nobody.PostAsync("/api/v1/widget/events", Json("""{ "name": "signup" }"""));
        var asAgent = await agent.PostAsync("/api/v1/widget/events", Json("""{ "name": "signup" }"""));
        var attributes = await agent.PutAsync("/api/v1/widget/attributes", Json("""{ "attributes": { "plan": "pro" } }"""));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        // An agent's token is no visitor's: refused, never taken for some contact.
        Assert.Equal(HttpStatusCode.Forbidden, asAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, attributes.StatusCode);
        Assert.Equal(0, await _server.WithDbAsync(db => db.Set<VisitorEvent>().CountAsync(e => e.Name == "signup")));
    }

    [Fact]
    public async Task Track_TooOften_Is429WithRetryAfter_AndOnlyTheAllowedAreStored()
    {
        await using var server = new KefuFactory
        {
            Settings = new Dictionary<string, string> { ["Kefu:VisitorEvents:CallsPerMinute"] = "1", ["Kefu:VisitorEvents:Burst"] = "3" },
        }.Start();
        var session = await server.NewVisitorAsync();
        using var visitor = Bearer(server.Http(), session.Token);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await visitor.PostAsync("/api/v1/widget/events", Json("""{ "name": "page.viewed" }"""))).StatusCode);
        }

        var refused = await visitor.PutAsync("/api/v1/widget/attributes", Json("""{ "attributes": { "plan": "pro" } }"""));

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, field: null, code: "rate_limited");
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(3, await server.WithDbAsync(db => db.Set<VisitorEvent>().CountAsync(e => e.ContactId == session.ContactId)));
        Assert.Equal(0, await server.WithDbAsync(db => db.Set<VisitorAttributeSet>().CountAsync(a => a.ContactId == session.ContactId)));

        // Another visitor has their own allowance.
        var other = await server.NewVisitorAsync();
        using var second = Bearer(server.Http(), other.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await second.PostAsync("/api/v1/widget/events", Json("""{ "name": "page.viewed" }"""))).StatusCode);
    }

    [Fact]
    public async Task SetAttributes_Merges_NullRemoves_AndReturnsEveryAttribute()
    {
        var (visitor, contactId) = await VisitorAsync();

        (await visitor.PutAsync("/api/v1/widget/attributes", Json("""{ "attributes": { "plan": "pro", "seats": 12, "trial": true } }"""))).EnsureSuccessStatusCode();
        var response = await visitor.PutAsync("/api/v1/widget/attributes", Json("""{ "attributes": { "trial": null, "seats": 15, "region": "华东" } }"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var all = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attributes");
        Assert.Equal("pro", all.GetProperty("plan").GetString());
        Assert.Equal(15, all.GetProperty("seats").GetInt32());
        Assert.Equal("华东", all.GetProperty("region").GetString());
        Assert.False(all.TryGetProperty("trial", out _));
        var stored = JsonDocument.Parse(await StoredAttributesAsync(contactId) ?? "{}").RootElement;
        Assert.Equal(["plan", "region", "seats"], stored.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{ "attributes": [ "plan" ] }""")]
    [InlineData("""{ "attributes": { "plan": { "name": "pro" } } }""")]
    [InlineData("""{ "attributes": { "plan-name": "pro" } }""")]
    [InlineData("""{ "attributes": { "plan": "pro", "seats": [1] } }""")]
    public async Task SetAttributes_BadInput_IsRefused_AndChangesNothing(string body)
    {
        var (visitor, contactId) = await VisitorAsync();
        (await visitor.PutAsync("/api/v1/widget/attributes", Json("""{ "attributes": { "plan": "free" } }"""))).EnsureSuccessStatusCode();

        var response = await visitor.PutAsync("/api/v1/widget/attributes", Json(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "attributes");
        Assert.Equal("""{"plan":"free"}""", await StoredAttributesAsync(contactId));
    }

    [Fact]
    public async Task SetAttributes_PastFiftyKeysAfterMerging_IsRefused_AndChangesNothing()
    {
        var (visitor, contactId) = await VisitorAsync();
        var forty = Enumerable.Range(0, 40).ToDictionary(i => $"a{i}", i => (object)i);
        (await visitor.PutAsJsonAsync("/api/v1/widget/attributes", new { attributes = forty })).EnsureSuccessStatusCode();
        var before = await StoredAttributesAsync(contactId);

        var response = await visitor.PutAsJsonAsync("/api/v1/widget/attributes", new { attributes = Enumerable.Range(0, 11).ToDictionary(i => $"b{i}", i => (object)i) });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "attributes");
        Assert.Equal(before, await StoredAttributesAsync(contactId));
    }

    [Fact]
    public async Task ErasingTheContact_RemovesItsEventsAndAttributes_AndTheExportHadThem()
    {
        var (visitor, contactId) = await VisitorAsync();
        (await visitor.PostAsync("/api/v1/widget/events", Json("""{ "name": "checkout.started", "props": { "email": "alice@example.com" } }"""))).EnsureSuccessStatusCode();
        (await visitor.PutAsync("/api/v1/widget/attributes", Json("""{ "attributes": { "customer": "alice" } }"""))).EnsureSuccessStatusCode();
        using var admin = await _server.AgentHttpAsync();

        var export = await admin.GetAsync($"/api/v1/contacts/{contactId}/export");
        using (var zip = new ZipArchive(new MemoryStream(await export.Content.ReadAsByteArrayAsync())))
        {
            using var reader = new StreamReader(zip.GetEntry("visitor-events.json")!.Open());
            var text = await reader.ReadToEndAsync();
            Assert.Contains("checkout.started", text, StringComparison.Ordinal);
            Assert.Contains("alice", text, StringComparison.Ordinal);
        }

        var erase = await admin.PostAsync($"/api/v1/contacts/{contactId}/erase", null);

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Empty(await EventsAsync(contactId));
        Assert.Null(await StoredAttributesAsync(contactId));
    }

    private async Task<(HttpClient Visitor, Guid ContactId)> VisitorAsync()
    {
        var session = await _server.NewVisitorAsync();
        return (Bearer(_server.Http(), session.Token), session.ContactId);
    }

    private static HttpClient Bearer(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<List<VisitorEvent>> EventsAsync(Guid contactId) =>
        _server.WithDbAsync(db => db.Set<VisitorEvent>().AsNoTracking().Where(e => e.ContactId == contactId).ToListAsync());

    private Task<string?> StoredAttributesAsync(Guid contactId) =>
        _server.WithDbAsync(db => db.Set<VisitorAttributeSet>().Where(a => a.ContactId == contactId).Select(a => a.Values).FirstOrDefaultAsync());

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field, string? code = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
            Assert.Equal("invalid_" + (field == "name" ? "event_name" : field), problem.GetProperty("code").GetString());
        }

        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }
    }
}
