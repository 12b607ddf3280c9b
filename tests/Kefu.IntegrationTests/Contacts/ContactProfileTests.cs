using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kefu.IntegrationTests.Contacts.IdentifyVisitorTests;

namespace Kefu.IntegrationTests.Contacts;

/// <summary>
/// The contact profile (issue 13): company, language, location, custom attributes defined by admins and validated by
/// type, notes with their authors, and one history of conversations and tickets that a merge keeps whole.
/// </summary>
public sealed class ContactProfileTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Profile_AttributesAndNotes_AreTypeChecked_Stored_Shown_AndPermissionChecked_AcrossPeopleAndWorkspaces()
    {
        using var admin = await _server.AgentHttpAsync();
        var keys = await DefineAttributesAsync(admin);
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/contact-attributes", new { key = "Bad Key", labelEn = "x", labelZh = "x", type = "text" }),
            HttpStatusCode.BadRequest, "invalid_contact_attribute", "key");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/contact-attributes", new { key = keys.Plan, labelEn = "x", labelZh = "x", type = "text" }),
            HttpStatusCode.Conflict, "contact_attribute_key_taken", "key");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/contact-attributes", new { key = "k" + keys.Suffix, labelEn = "x", labelZh = "x", type = "list" }),
            HttpStatusCode.BadRequest, "invalid_contact_attribute", "options");
        var id = (await _server.NewVisitorAsync()).ContactId;

        var saved = await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new
        {
            name = "Li Lei", tags = new[] { "vip" }, company = "Acme 有限公司", language = "zh-CN", location = "Shanghai",
            attributes = new Dictionary<string, object> { [keys.Plan] = "GOLD", [keys.Seats] = 12.50, [keys.Renews] = "2027-01-31", [keys.Trial] = "true" },
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        // A wrong type, an unknown key, a bad language: refused, and nothing of the request is stored (not even the name).
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "Changed", tags = Array.Empty<string>(), attributes = new Dictionary<string, object> { [keys.Plan] = "silver", [keys.Seats] = "many" } }),
            HttpStatusCode.UnprocessableEntity, "invalid_attribute_value", "attributes." + keys.Seats);
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "Changed", tags = Array.Empty<string>(), attributes = new Dictionary<string, object> { [keys.Trial] = 1 } }),
            HttpStatusCode.UnprocessableEntity, "invalid_attribute_value", "attributes." + keys.Trial);
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "Changed", tags = Array.Empty<string>(), attributes = new Dictionary<string, object> { ["nope_" + keys.Suffix] = "x" } }),
            HttpStatusCode.UnprocessableEntity, "unknown_attribute", "attributes.nope_" + keys.Suffix);
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "Changed", tags = Array.Empty<string>(), language = "not a language" }),
            HttpStatusCode.BadRequest, "invalid_contact", "language");

        var contact = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}");
        Assert.Equal("Li Lei", contact.GetProperty("name").GetString());
        Assert.Equal(["vip"], contact.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("Acme 有限公司", "zh-CN", "Shanghai"), (contact.GetProperty("company").GetString(), contact.GetProperty("language").GetString(), contact.GetProperty("location").GetString()));
        Assert.Equal(Values(contact), new Dictionary<string, string> { [keys.Plan] = "Gold", [keys.Seats] = "12.5", [keys.Renews] = "2027-01-31", [keys.Trial] = "true" });

        // Notes: the author edits and deletes their own; a colleague may read but not change them; text stays text.
        var note = await NoteAsync(admin, id, "Prefers <b>e-mail</b>");
        var w = new Workspace(_server);
        using var colleague = await w.PersonAsync(name: "Colleague");
        await AssertProblemAsync(await colleague.Http.PutAsJsonAsync($"/api/v1/contacts/{id}/notes/{note}", new { text = "mine now" }), HttpStatusCode.Forbidden, "forbidden", null);
        await AssertProblemAsync(await colleague.Http.DeleteAsync($"/api/v1/contacts/{id}/notes/{note}"), HttpStatusCode.Forbidden, "forbidden", null);
        await AssertProblemAsync(await colleague.Http.PostAsJsonAsync($"/api/v1/contacts/{id}/notes", new { text = "  " }), HttpStatusCode.BadRequest, "invalid_contact", "text");
        var own = await NoteAsync(colleague.Http, id, "Called back");
        Assert.Equal(HttpStatusCode.OK, (await colleague.Http.PutAsJsonAsync($"/api/v1/contacts/{id}/notes/{own}", new { text = "Called back twice" })).StatusCode);
        var notes = (await colleague.Http.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}")).GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(["Called back twice", "Prefers <b>e-mail</b>"], notes.Select(n => n.GetProperty("text").GetString()));
        Assert.Equal("Colleague", notes[0].GetProperty("authorName").GetString());
        Assert.NotEqual(JsonValueKind.Null, notes[0].GetProperty("updatedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await colleague.Http.DeleteAsync($"/api/v1/contacts/{id}/notes/{own}")).StatusCode);

        // Another workspace's admin: this contact, its note and the attributes are not found there.
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        foreach (var tenant in await _server.WithDbAsync(db => db.Tenants.Select(t => t.Id).ToListAsync()))
        {
            _server.Services.GetRequiredService<IAccessControl>().Invalidate(tenant);
        }

        using var stranger = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail));
        var planId = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/contact-attributes")).EnumerateArray().Single(d => d.GetProperty("key").GetString() == keys.Plan).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/contacts/{id}")).StatusCode);
        await AssertProblemAsync(await stranger.PostAsJsonAsync($"/api/v1/contacts/{id}/notes", new { text = "x" }), HttpStatusCode.NotFound, "contact_not_found", null);
        await AssertProblemAsync(await stranger.PutAsJsonAsync($"/api/v1/contacts/{id}/notes/{note}", new { text = "x" }), HttpStatusCode.NotFound, "contact_note_not_found", null);
        await AssertProblemAsync(await stranger.DeleteAsync($"/api/v1/contact-attributes/{planId}"), HttpStatusCode.NotFound, "contact_attribute_not_found", null);
        await AssertProblemAsync(await stranger.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "x", tags = Array.Empty<string>(), attributes = new Dictionary<string, object> { [keys.Plan] = "gold" } }),
            HttpStatusCode.NotFound, "contact_not_found", null);
        Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>("/api/v1/contact-attributes")).EnumerateArray());
        Assert.Equal(1, await _server.WithDbAsync(db => db.Set<ContactNote>().CountAsync(n => n.ContactId == id)));
    }

    [Fact]
    public async Task History_IsConversationsAndTicketsNewestFirst_InTheViewersScope_AndAMergeMovesTicketsNotesAndAttributes_SurvivorWinning()
    {
        using var admin = await _server.AgentHttpAsync();
        var keys = await DefineAttributesAsync(admin);
        var w = new Workspace(_server);
        var (otherInbox, otherKey) = await w.InboxAsync("Second shop");
        var survivor = await _server.NewVisitorAsync();
        await SendAsync(survivor.Token, "survivor asks");
        var merged = await _server.NewVisitorAsync(otherKey);
        await SendAsync(merged.Token, "merged asks");
        var survivorTicket = await TicketAsync(admin, survivor.ContactId, "Refund for order 7", await w.DemoInboxIdAsync());
        var mergedTicket = await TicketAsync(admin, merged.ContactId, "Invoice address", otherInbox);
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{survivor.ContactId}", new { name = "Survivor", tags = Array.Empty<string>(), attributes = new Dictionary<string, object> { [keys.Plan] = "gold" } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{merged.ContactId}", new { name = "Merged", tags = Array.Empty<string>(), company = "Acme", attributes = new Dictionary<string, object> { [keys.Plan] = "silver", [keys.Seats] = 5 } })).EnsureSuccessStatusCode();
        await NoteAsync(admin, merged.ContactId, "From the merged record");

        (await admin.PostAsJsonAsync($"/api/v1/contacts/{merged.ContactId}/merge", new { intoId = survivor.ContactId })).EnsureSuccessStatusCode();

        var contact = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{survivor.ContactId}");
        var history = contact.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(4, history.Count);
        Assert.Equal(history.Select(h => h.GetProperty("at").GetDateTime()).OrderByDescending(a => a), history.Select(h => h.GetProperty("at").GetDateTime()));
        Assert.Equal(new[] { mergedTicket, survivorTicket }.Order(), history.Where(h => h.GetProperty("kind").GetString() == "ticket").Select(h => h.GetProperty("id").GetGuid()).Order());
        Assert.All(history.Where(h => h.GetProperty("kind").GetString() == "conversation"), h => Assert.Equal("widget", h.GetProperty("channel").GetString()));
        var number = await NumberAsync(admin, mergedTicket);
        Assert.Contains(history, h => h.GetProperty("title").GetString() == $"#{number} Invoice address");
        Assert.Equal(Values(contact), new Dictionary<string, string> { [keys.Plan] = "Gold", [keys.Seats] = "5" });
        Assert.Equal("Acme", contact.GetProperty("company").GetString());
        Assert.Equal(["From the merged record"], contact.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("text").GetString()));
        Assert.Equal(survivor.ContactId, (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{mergedTicket}")).GetProperty("ticket").GetProperty("requesterId").GetGuid());
        var detail = await _server.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.ContactMerged && a.TargetId == merged.ContactId.ToString()).Select(a => a.Detail).SingleAsync());
        Assert.Equal($"into={survivor.ContactId} conversations=1 tickets=1", detail);

        // An agent limited to the demo inbox sees the contact's conversation and ticket there, never the second shop's (ticket scope, ADR 0027).
        using var limited = await w.PersonAsync(name: "Limited");
        (await admin.SetAccessAsync(limited.Id, "agent", await w.DemoInboxIdAsync())).EnsureSuccessStatusCode();
        var seen = await limited.Http.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{survivor.ContactId}");
        var conversations = seen.GetProperty("conversations").EnumerateArray().ToList();
        Assert.DoesNotContain(conversations, c => c.GetProperty("inboxId").GetGuid() == otherInbox);
        Assert.Single(conversations);
        var items = seen.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["conversation", "ticket"], items.Select(h => h.GetProperty("kind").GetString()).Order());
        Assert.Equal(survivorTicket, items.Single(h => h.GetProperty("kind").GetString() == "ticket").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Identify_SetsProfileAndAttributes_OnlyWhenVerified_AWrongTypeChangesNothing_AndTheWidgetLanguageFillsAGap()
    {
        using var admin = await _server.AgentHttpAsync();
        var keys = await DefineAttributesAsync(admin);
        var secret = await SecretAsync(_server);
        var customer = "cust-" + Guid.NewGuid().ToString("N")[..8];
        var visitor = await _server.NewVisitorAsync();
        var hash = IdentitySignature.Compute(secret, customer);

        var badResponse = await VisitorHttpPostAsync(visitor.Token, new { id = customer, hash, name = "Han Meimei", attributes = new Dictionary<string, object> { [keys.Seats] = "lots" } });
        await AssertProblemAsync(badResponse, HttpStatusCode.UnprocessableEntity, "invalid_attribute_value", "attributes." + keys.Seats);
        Assert.False(await _server.WithDbAsync(db => db.ContactIdentities.AnyAsync(i => i.Value == customer)));

        var ok = await IdentifyAsync(_server, visitor.Token, new { id = customer, hash, name = "Han Meimei", company = "Globex", location = "Beijing", widgetLanguage = "zh-CN", attributes = new Dictionary<string, object> { [keys.Seats] = 3, [keys.Trial] = false } });
        var contactId = ok.GetProperty("contactId").GetGuid();
        var contact = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}");
        Assert.Equal(("Han Meimei", "Globex", "zh-CN", "Beijing"), (contact.GetProperty("name").GetString(), contact.GetProperty("company").GetString(), contact.GetProperty("language").GetString(), contact.GetProperty("location").GetString()));
        Assert.Equal(Values(contact), new Dictionary<string, string> { [keys.Seats] = "3", [keys.Trial] = "false" });

        // Unsigned: the claim is recorded, the attributes are not (anyone can call identify from a browser console).
        var anonymous = await _server.NewVisitorAsync();
        await IdentifyAsync(_server, anonymous.Token, new { id = "claimed-" + customer, attributes = new Dictionary<string, object> { [keys.Plan] = "gold" } });
        var claimed = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{anonymous.ContactId}");
        Assert.Empty(claimed.GetProperty("attributes").EnumerateArray());
    }

    [Fact]
    public async Task List_FiltersByAttribute_AndPagesByCursor_WithoutSkippingOrRepeating_WhileSkipStillWorks()
    {
        using var admin = await _server.AgentHttpAsync();
        var keys = await DefineAttributesAsync(admin);
        var marker = "Cz" + Guid.NewGuid().ToString("N")[..6];
        var gold = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = (await _server.NewVisitorAsync()).ContactId;
            var plan = i == 2 ? "silver" : "gold";
            (await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = $"{marker} {i}", tags = Array.Empty<string>(), attributes = new Dictionary<string, object> { [keys.Plan] = plan } })).EnsureSuccessStatusCode();
            if (plan == "gold")
            {
                gold.Add(id);
            }
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/contacts?search={marker}&attribute={keys.Plan}:GOLD&sort=name&limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await admin.GetFromJsonAsync<JsonElement>(url);
            Assert.Equal(4, page.GetProperty("total").GetInt32());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(gold, seen);
        var skipped = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?search={marker}&sort=name&limit=2&skip=4");
        Assert.Equal(5, skipped.GetProperty("total").GetInt32());
        Assert.Single(skipped.GetProperty("items").EnumerateArray());
        await AssertProblemAsync(await admin.GetAsync($"/api/v1/contacts?attribute={keys.Seats}:many"), HttpStatusCode.BadRequest, "invalid_contact_query", "attribute");
        await AssertProblemAsync(await admin.GetAsync("/api/v1/contacts?cursor=not-a-cursor"), HttpStatusCode.BadRequest, "invalid_contact_query", "cursor");
    }

    [Fact]
    public async Task DataExport_HoldsProfileAttributesNotesIdentitiesAndTickets_AndErasureStripsThem()
    {
        using var admin = await _server.AgentHttpAsync();
        var keys = await DefineAttributesAsync(admin);
        var id = (await _server.NewVisitorAsync()).ContactId;
        var tenant = await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == id).Select(c => c.TenantId).SingleAsync());
        var address = $"export-{Guid.NewGuid():N}@example.test";
        Assert.True(await _server.Services.GetRequiredService<Kefu.Server.Features.Contacts.Contracts.IContactIdentities>()
            .AttachAsync(tenant, id, Kefu.Server.Features.Contacts.Contracts.IdentityKind.Email, address, CancellationToken.None));
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new
        {
            name = "Han Meimei", tags = Array.Empty<string>(), company = "Example 有限公司", language = "zh-CN", location = "Hangzhou",
            attributes = new Dictionary<string, object> { [keys.Plan] = "Silver", [keys.Seats] = 3 },
        })).EnsureSuccessStatusCode();
        await NoteAsync(admin, id, "Asked for 发票 by post");
        var ticket = await TicketAsync(admin, id, "Invoice 2026-11");

        var response = await admin.GetAsync($"/api/v1/contacts/{id}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        JsonElement Read(string name)
        {
            using var stream = zip.GetEntry(name)!.Open();
            return JsonDocument.Parse(stream).RootElement.Clone();
        }

        Assert.Contains(Read("identities.json").EnumerateArray(), i => i.GetProperty("value").GetString() == address && i.GetProperty("kind").GetString() == "email");
        var profile = Read("profile.json");
        Assert.Equal(("Example 有限公司", "zh-CN", "Hangzhou"), (profile.GetProperty("company").GetString(), profile.GetProperty("language").GetString(), profile.GetProperty("location").GetString()));
        Assert.Equal(new Dictionary<string, string> { [keys.Plan] = "Silver", [keys.Seats] = "3" },
            Read("attributes.json").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").GetString()!));
        var note = Assert.Single(Read("notes.json").EnumerateArray());
        Assert.Equal("Asked for 发票 by post", note.GetProperty("text").GetString());
        Assert.False(string.IsNullOrEmpty(note.GetProperty("authorName").GetString()));
        var exported = Assert.Single(Read("tickets.json").EnumerateArray());
        Assert.Equal((ticket, "Invoice 2026-11"), (exported.GetProperty("id").GetGuid(), exported.GetProperty("subject").GetString()));
        Assert.Contains(exported.GetProperty("thread").EnumerateArray(), e => e.GetProperty("text").GetString() == "From the API");

        var erased = await admin.PostAsync($"/api/v1/contacts/{id}/erase", null);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.Set<ContactNote>().AnyAsync(n => n.ContactId == id)));
        Assert.False(await _server.WithDbAsync(db => db.Set<ContactAttributeValue>().AnyAsync(v => v.ContactId == id)));
        var after = await _server.WithDbAsync(db => db.Set<Kefu.Server.Features.Tickets.Ticket>().Where(t => t.Id == ticket).Select(t => t.Subject).SingleAsync());
        Assert.Equal(PersonalData.RemovedText, after);
        Assert.All(await _server.WithDbAsync(db => db.Set<Kefu.Server.Features.Tickets.TicketEntry>().Where(e => e.TicketId == ticket).Select(e => e.Text).ToListAsync()),
            text => Assert.Equal(PersonalData.RemovedText, text));
    }

    internal sealed record Keys(string Suffix, string Plan, string Seats, string Renews, string Trial);

    /// <summary>A list, a number, a date and a boolean attribute with keys of their own (the class shares one server).</summary>
    internal static async Task<Keys> DefineAttributesAsync(HttpClient admin)
    {
        var s = Guid.NewGuid().ToString("N")[..6];
        var keys = new Keys(s, "plan_" + s, "seats_" + s, "renews_" + s, "trial_" + s);
        foreach (var (key, type, options) in new[] { (keys.Plan, "list", new[] { "Gold", "Silver" }), (keys.Seats, "number", []), (keys.Renews, "date", []), (keys.Trial, "boolean", []) })
        {
            var response = await admin.PostAsJsonAsync("/api/v1/contact-attributes", new { key, labelEn = "Label " + key, labelZh = "标签 " + key, type, options });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        return keys;
    }

    private static Dictionary<string, string> Values(JsonElement contact) =>
        contact.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").GetString()!);

    private static async Task<Guid> NoteAsync(HttpClient http, Guid contactId, string text)
    {
        var response = await http.PostAsJsonAsync($"/api/v1/contacts/{contactId}/notes", new { text });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> TicketAsync(HttpClient admin, Guid requesterId, string subject, Guid? inboxId = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/tickets", new { subject, description = "From the API", requesterId, inboxId });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<long> NumberAsync(HttpClient admin, Guid ticket) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{ticket}")).GetProperty("ticket").GetProperty("number").GetInt64();

    private async Task SendAsync(string token, string text)
    {
        await using var hub = await _server.ConnectVisitorAsync(token);
        var sent = await hub.InvokeAsync<Kefu.Server.Hosting.HubResult<Kefu.Server.Features.Conversations.Contracts.SendMessageResult>>(
            "SendMessage", new Kefu.Server.Features.Conversations.VisitorSendMessage(null, "m-" + Guid.NewGuid().ToString("N"), text, null));
        Assert.True(sent.Ok);
    }

    private async Task<HttpResponseMessage> VisitorHttpPostAsync(string token, object body)
    {
        using var http = _server.Http();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await http.PostAsJsonAsync("/api/v1/widget/identify", body);
    }
}
