using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Routing;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Contacts;

/// <summary><c>GET /api/v1/contacts</c> and <c>PUT /api/v1/contacts/{id}</c>: search and paging, validation, masking, audit, roles, workspaces, VIP routing.</summary>
public sealed class ContactApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task List_SearchesNameEmailPhoneAndTags_CaseInsensitively_AndPages()
    {
        using var admin = await _server.AgentHttpAsync();
        var marker = "Zq" + Guid.NewGuid().ToString("N")[..6];
        var first = await ContactAsync(admin, new { name = marker + " Alice", email = "", phone = "", tags = Array.Empty<string>() });
        var second = await ContactAsync(admin, new { name = "Bob", email = marker.ToLowerInvariant() + "@example.com", phone = "", tags = new[] { "wholesale" } });
        await ContactAsync(admin, new { name = "Carol", email = "", phone = "", tags = Array.Empty<string>() });

        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?search={marker.ToUpperInvariant()}&sort=name");
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?search={marker}&sort=name&limit=1&skip=1");
        var byTag = await admin.GetFromJsonAsync<JsonElement>("/api/v1/contacts?search=WHOLESALE");
        var bad = await admin.GetAsync("/api/v1/contacts?limit=500");

        Assert.Equal(2, found.GetProperty("total").GetInt32());
        Assert.Equal([second, first], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal(first, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Contains(byTag.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == second);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("limit", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Put_StoresTheFields_MasksTheMobileNumber_KeepsItWhenSentBackMasked_AndAuditsFieldNamesOnly()
    {
        using var admin = await _server.AgentHttpAsync();
        var id = (await _server.NewVisitorAsync()).ContactId;

        var saved = await PutAsync(admin, id, new { name = "  Wang Fang ", email = "wang.fang@example.com", phone = "138 0013 8000", tags = new[] { "vip", "VIP", "大客户" } });
        var original = await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == id).Select(c => c.PhoneOriginal).SingleAsync());
        var again = await PutAsync(admin, id, new { name = "Wang Fang", email = "wang.fang@example.com", phone = saved.GetProperty("phone").GetString(), tags = new[] { "vip" } });

        Assert.Equal("Wang Fang", saved.GetProperty("name").GetString());
        Assert.Equal("wang.fang@example.com", saved.GetProperty("email").GetString());
        Assert.Equal("138****8000", saved.GetProperty("phone").GetString());
        Assert.Equal(["vip", "大客户"], saved.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.NotNull(original);
        Assert.DoesNotContain("0013", original);
        Assert.Equal(original, await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == id).Select(c => c.PhoneOriginal).SingleAsync()));
        Assert.Equal("138****8000", again.GetProperty("phone").GetString());
        var entries = await _server.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.ContactUpdated && a.TargetId == id.ToString()).OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync());
        Assert.Equal(["changed=email,name,phone,tags", "changed=tags"], entries);
    }

    [Theory]
    [InlineData("""{"name":"","tags":[]}""", "name")]
    [InlineData("""{"name":"Ann","email":"not-an-email","tags":[]}""", "email")]
    [InlineData("""{"name":"Ann","email":"Ann <ann@example.com>","tags":[]}""", "email")]
    [InlineData("""{"name":"Ann","phone":"call me maybe","tags":[]}""", "phone")]
    [InlineData("""{"name":"Ann","phone":"12","tags":[]}""", "phone")]
    [InlineData("""{"name":"Ann","tags":["vip!"]}""", "tags")]
    [InlineData("""{"name":"Ann","tags":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "tags")]
    public async Task Put_WithABadField_Is400NamingIt_AndChangesNothing(string body, string field)
    {
        using var admin = await _server.AgentHttpAsync();
        var id = (await _server.NewVisitorAsync()).ContactId;
        var before = await _server.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == id));

        var response = await admin.PutAsync($"/api/v1/contacts/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_contact", problem.GetProperty("code").GetString());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        var after = await _server.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal((before.Name, before.Email, before.Phone, before.Tags), (after.Name, after.Email, after.Phone, after.Tags));
    }

    [Fact]
    public async Task ARoleWithoutContacts_Gets403_AndAnotherWorkspace_Gets404AndSeesNone()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var powerless = await ws.PersonAsync();
        await admin.Http.SetAccessAsync(powerless.Id, await admin.Http.CreateRoleAsync("No contacts " + Guid.NewGuid().ToString("N")[..6], "conversationsAll"));
        var id = (await _server.NewVisitorAsync()).ContactId;
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var edit = new { name = "Taken over", tags = new[] { "vip" } };

        Assert.Equal(HttpStatusCode.Forbidden, (await powerless.Http.GetAsync("/api/v1/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await powerless.Http.PutAsJsonAsync($"/api/v1/contacts/{id}", edit)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/contacts/{id}", edit)).StatusCode);
        var theirs = await foreign.GetFromJsonAsync<JsonElement>("/api/v1/contacts?limit=100");
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
        Assert.NotEqual("Taken over", await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));
    }

    [Fact]
    public async Task TaggingAContactVip_PutsTheirNextConversationAheadInTheQueue()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Manual, vipTags = "vip" });
        await using var waiting = await server.VisitorAsync("been here a while");
        await waiting.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        var session = await server.NewVisitorAsync();
        using var admin = await server.AgentHttpAsync();

        await PutAsync(admin, session.ContactId, new { name = "Big customer", tags = new[] { "VIP" } });
        await using var hub = await server.ConnectVisitorAsync(session.Token);
        var queue = new Events<QueueStatusEvent>(hub, "QueueUpdated");
        await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "vip-1", "hello again", null));

        await queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        await waiting.Queue.WaitAsync(s => s is { State: "waiting", Position: 2 });
    }

    private async Task<Guid> ContactAsync(HttpClient admin, object body)
    {
        var id = (await _server.NewVisitorAsync()).ContactId;
        return (await PutAsync(admin, id, body)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> PutAsync(HttpClient http, Guid id, object body)
    {
        var response = await http.PutAsJsonAsync($"/api/v1/contacts/{id}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
