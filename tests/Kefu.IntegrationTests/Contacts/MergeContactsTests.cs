using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Contacts;

/// <summary><c>POST /api/v1/contacts/{id}/merge</c>: what moves, what remains, and every refusal changing nothing.</summary>
public sealed class MergeContactsTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Merge_MovesConversationsIdentitiesAndTags_LeavesAPointer_AndAnAuditEntry_AndTheWidgetFollows()
    {
        using var admin = await _server.AgentHttpAsync();
        var from = await VisitorWithConversationAsync("from-" + Guid.NewGuid().ToString("N")[..6]);
        var into = await VisitorWithConversationAsync("into-" + Guid.NewGuid().ToString("N")[..6]);
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{from.ContactId}", new { name = "Old record", email = "old@example.com", tags = new[] { "vip", "wholesale" } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{into.ContactId}", new { name = "Survivor", tags = new[] { "VIP" } })).EnsureSuccessStatusCode();
        var mail = "m" + Guid.NewGuid().ToString("N")[..6] + "@example.com";
        await _server.WithDbAsync(db =>
        {
            db.ContactIdentities.Add(new ContactIdentity { TenantId = db.Contacts.Single(c => c.Id == from.ContactId).TenantId, ContactId = from.ContactId, Kind = IdentityKind.Email, Value = mail, CreatedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });

        var response = await admin.PostAsJsonAsync($"/api/v1/contacts/{from.ContactId}/merge", new { intoId = into.ContactId });

        response.EnsureSuccessStatusCode();
        var survivor = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{into.ContactId}");
        Assert.Equal(2, survivor.GetProperty("conversations").GetArrayLength());
        Assert.Equal(["VIP", "wholesale"], survivor.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("old@example.com", survivor.GetProperty("email").GetString());
        Assert.Contains(survivor.GetProperty("identities").EnumerateArray(), i => i.GetProperty("value").GetString() == mail);
        var merged = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{from.ContactId}");
        Assert.Equal(into.ContactId, merged.GetProperty("mergedIntoId").GetGuid());
        Assert.Empty(merged.GetProperty("conversations").EnumerateArray());
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/contacts?search=Old%20record");
        Assert.Equal(0, listed.GetProperty("total").GetInt32());
        var detail = await _server.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.ContactMerged && a.TargetId == from.ContactId.ToString()).Select(a => a.Detail).SingleAsync());
        Assert.Equal($"into={into.ContactId} conversations=1 tickets=0", detail);
        // The merged visitor's widget comes back as the survivor, with both conversations.
        Assert.Equal(into.ContactId, (await _server.NewVisitorAsync(token: from.Token)).ContactId);
    }

    [Fact]
    public async Task Merge_IntoItself_AcrossWorkspaces_OfAMergedContact_OrOfTwoVerifiedCustomers_IsRefused_AndChangesNothing()
    {
        using var admin = await _server.AgentHttpAsync();
        var a = await VisitorWithConversationAsync("a");
        var b = await VisitorWithConversationAsync("b");
        var (otherKey, _) = await _server.CreateOtherTenantAsync();
        var foreign = await _server.NewVisitorAsync(otherKey);

        await IdentifyVisitorTests.AssertProblemAsync(await MergeAsync(admin, a.ContactId, a.ContactId), HttpStatusCode.BadRequest, "merge_into_itself", "intoId");
        await IdentifyVisitorTests.AssertProblemAsync(await MergeAsync(admin, a.ContactId, foreign.ContactId), HttpStatusCode.NotFound, "contact_not_found", null);
        await IdentifyVisitorTests.AssertProblemAsync(await MergeAsync(admin, foreign.ContactId, a.ContactId), HttpStatusCode.NotFound, "contact_not_found", null);
        await IdentifyVisitorTests.AssertProblemAsync(await MergeAsync(admin, Guid.NewGuid(), a.ContactId), HttpStatusCode.NotFound, "contact_not_found", null);

        var secret = await IdentifyVisitorTests.SecretAsync(_server);
        await IdentifyVisitorTests.IdentifyAsync(_server, a.Token, new { id = "cust-a-" + a.ContactId, hash = IdentitySignature.Compute(secret, "cust-a-" + a.ContactId) });
        await IdentifyVisitorTests.IdentifyAsync(_server, b.Token, new { id = "cust-b-" + b.ContactId, hash = IdentitySignature.Compute(secret, "cust-b-" + b.ContactId) });
        await IdentifyVisitorTests.AssertProblemAsync(await MergeAsync(admin, a.ContactId, b.ContactId), HttpStatusCode.Conflict, "merge_identity_conflict", null);

        var c = await VisitorWithConversationAsync("c");
        (await MergeAsync(admin, c.ContactId, a.ContactId)).EnsureSuccessStatusCode();
        await IdentifyVisitorTests.AssertProblemAsync(await MergeAsync(admin, c.ContactId, b.ContactId), HttpStatusCode.Conflict, "contact_already_merged", null);
        await IdentifyVisitorTests.AssertProblemAsync(await MergeAsync(admin, b.ContactId, c.ContactId), HttpStatusCode.Conflict, "contact_already_merged", null);

        foreach (var (contact, expected) in new[] { (b.ContactId, 1), (foreign.ContactId, 0) })
        {
            Assert.Equal(expected, await _server.WithDbAsync(db => db.Conversations.CountAsync(v => v.ContactId == contact)));
        }

        Assert.Equal(2, await _server.WithDbAsync(db => db.Conversations.CountAsync(v => v.ContactId == a.ContactId)));
        Assert.Null(await _server.WithDbAsync(db => db.Contacts.Where(x => x.Id == b.ContactId).Select(x => x.MergedIntoId).SingleAsync()));
        Assert.Equal(1, await _server.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditActions.ContactMerged && (e.TargetId == a.ContactId.ToString() || e.TargetId == b.ContactId.ToString() || e.TargetId == c.ContactId.ToString()))));
    }

    [Fact]
    public async Task List_FiltersByWholeTag()
    {
        using var admin = await _server.AgentHttpAsync();
        var tag = "t" + Guid.NewGuid().ToString("N")[..8];
        var tagged = (await _server.NewVisitorAsync()).ContactId;
        var near = (await _server.NewVisitorAsync()).ContactId;
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{tagged}", new { name = "Tagged", tags = new[] { tag.ToUpperInvariant(), "other" } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{near}", new { name = "Near", tags = new[] { tag + "x" } })).EnsureSuccessStatusCode();

        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?tag={tag}");
        var bad = await admin.GetAsync("/api/v1/contacts?tag=not%20a%20tag");

        Assert.Equal([tagged], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        await IdentifyVisitorTests.AssertProblemAsync(bad, HttpStatusCode.BadRequest, "invalid_contact_query", "tag");
    }

    private static Task<HttpResponseMessage> MergeAsync(HttpClient admin, Guid from, Guid into) =>
        admin.PostAsJsonAsync($"/api/v1/contacts/{from}/merge", new { intoId = into });

    private async Task<Kefu.Server.Features.Channels.WebWidget.WidgetSession> VisitorWithConversationAsync(string text)
    {
        var visitor = await _server.NewVisitorAsync();
        await using var hub = await _server.ConnectVisitorAsync(visitor.Token);
        var sent = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "m-" + Guid.NewGuid().ToString("N"), text, null));
        Assert.True(sent.Ok);
        return visitor;
    }
}
