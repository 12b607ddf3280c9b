using System.Net;
using System.Net.Http.Headers;
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

/// <summary>
/// <c>POST /api/v1/widget/identify</c> and the inbox's identity secret: a signed id restores one customer's contact and
/// history on any device; a wrong or missing signature is refused and changes nothing; an unsigned id on a lenient
/// inbox is a claim on the visitor's own contact and never reaches the verified customer's.
/// </summary>
public sealed class IdentifyVisitorTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task AValidHash_OnASecondDevice_ContinuesAsTheSameContact_WithItsHistory()
    {
        await using var server = new KefuFactory().Start();
        var secret = await SecretAsync(server);
        var customer = "shop-" + Guid.NewGuid().ToString("N")[..8];
        var laptop = await server.NewVisitorAsync();
        await using (var hub = await server.ConnectVisitorAsync(laptop.Token))
        {
            var sent = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "laptop-1", "Where is my order?", null));
            Assert.True(sent.Ok);
        }

        var first = await IdentifyAsync(server, laptop.Token, new { id = customer, name = "Wang Fang", email = "wang@example.com", hash = IdentitySignature.Compute(secret, customer) });
        var phone = await server.NewVisitorAsync();
        var second = await IdentifyAsync(server, phone.Token, new { id = customer, hash = IdentitySignature.Compute(secret, customer).ToUpperInvariant() });
        var resumed = await server.NewVisitorAsync(token: second.GetProperty("token").GetString());

        Assert.Equal(laptop.ContactId, first.GetProperty("contactId").GetGuid());
        Assert.True(first.GetProperty("verified").GetBoolean());
        Assert.Equal(laptop.ContactId, second.GetProperty("contactId").GetGuid());
        Assert.Equal(laptop.ContactId, resumed.ContactId);
        await using var phoneHub = await server.ConnectVisitorAsync(second.GetProperty("token").GetString()!);
        var conversations = await phoneHub.InvokeAsync<HubResult<List<VisitorConversationDto>>>("GetConversations");
        var conversation = Assert.Single(conversations.Value!);
        var messages = await phoneHub.InvokeAsync<HubResult<MessagePage>>("GetMessages", conversation.Id, 0L, 50);
        Assert.Contains(messages.Value!.Messages, m => m.Text == "Where is my order?");
        var identity = await server.WithDbAsync(db => db.ContactIdentities.SingleAsync(i => i.Kind == IdentityKind.External && i.Value == customer));
        Assert.Equal(laptop.ContactId, identity.ContactId);
        var contact = await server.WithDbAsync(db => db.Contacts.SingleAsync(c => c.Id == laptop.ContactId));
        Assert.Equal(("Wang Fang", "wang@example.com"), (contact.Name, contact.Email));
        // The phone's anonymous contact signed in: it is merged into the customer's and points there.
        Assert.Equal(laptop.ContactId, await server.WithDbAsync(db => db.Contacts.Where(c => c.Id == phone.ContactId).Select(c => c.MergedIntoId).SingleAsync()));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("not-a-hash")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task AWrongHash_Is400IdentityHashInvalid_AndChangesNothing(string hash)
    {
        await SecretAsync(_server);
        var visitor = await _server.NewVisitorAsync();
        var customer = "wrong-" + Guid.NewGuid().ToString("N")[..8];

        var response = await PostIdentifyAsync(_server, visitor.Token, new { id = customer, name = "Mallory", hash });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "identity_hash_invalid", "hash");
        Assert.False(await _server.WithDbAsync(db => db.ContactIdentities.AnyAsync(i => i.Value == customer)));
        var contact = await _server.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == visitor.ContactId));
        Assert.NotEqual("Mallory", contact.Name);
        Assert.Null(contact.UnverifiedExternalId);
    }

    [Fact]
    public async Task AHashMadeWithTheOldSecret_IsRefusedAfterRegeneration()
    {
        await using var server = new KefuFactory().Start();
        var old = await SecretAsync(server);
        var fresh = await SecretAsync(server);
        var visitor = await server.NewVisitorAsync();

        var response = await PostIdentifyAsync(server, visitor.Token, new { id = "customer-1", hash = IdentitySignature.Compute(old, "customer-1") });

        Assert.NotEqual(old, fresh);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "identity_hash_invalid", "hash");
        Assert.True((await PostIdentifyAsync(server, visitor.Token, new { id = "customer-1", hash = IdentitySignature.Compute(fresh, "customer-1") })).IsSuccessStatusCode);
    }

    [Fact]
    public async Task WhenTheInboxEnforces_AnUnsignedIdentity_Is400_AndChangesNothing()
    {
        await using var server = new KefuFactory().Start();
        await SecretAsync(server);
        using var admin = await server.AgentHttpAsync();
        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{await InboxIdAsync(server)}/identity-verification", new { enforce = true })).EnsureSuccessStatusCode();
        var visitor = await server.NewVisitorAsync();

        var response = await PostIdentifyAsync(server, visitor.Token, new { id = "customer-7", name = "Eve" });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "identity_verification_required", "hash");
        var contact = await server.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == visitor.ContactId));
        Assert.Null(contact.UnverifiedExternalId);
        Assert.NotEqual("Eve", contact.Name);
    }

    [Fact]
    public async Task AnUnsignedIdentity_OnALenientInbox_IsAnUnverifiedClaim_NeverTheVerifiedCustomersContact()
    {
        await using var server = new KefuFactory().Start();
        var secret = await SecretAsync(server);
        var owner = await server.NewVisitorAsync();
        await IdentifyAsync(server, owner.Token, new { id = "vip-1", name = "Real owner", hash = IdentitySignature.Compute(secret, "vip-1") });
        var claimant = await server.NewVisitorAsync();

        var claimed = await IdentifyAsync(server, claimant.Token, new { id = "vip-1", name = "Claimant" });
        using var admin = await server.AgentHttpAsync();
        var profile = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{claimant.ContactId}");

        Assert.Equal(claimant.ContactId, claimed.GetProperty("contactId").GetGuid());
        Assert.False(claimed.GetProperty("verified").GetBoolean());
        Assert.Equal("vip-1", profile.GetProperty("unverifiedExternalId").GetString());
        Assert.Empty(profile.GetProperty("identities").EnumerateArray());
        var ownerContact = await server.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == owner.ContactId));
        Assert.Equal("Real owner", ownerContact.Name);
        Assert.Equal(owner.ContactId, await server.WithDbAsync(db => db.ContactIdentities.Where(i => i.Value == "vip-1").Select(i => i.ContactId).SingleAsync()));
        Assert.Null(await server.WithDbAsync(db => db.Contacts.Where(c => c.Id == claimant.ContactId).Select(c => c.MergedIntoId).SingleAsync()));
    }

    [Theory]
    [InlineData("""{"id":""}""", "id")]
    [InlineData("""{"id":"a\u0000b"}""", "id")]
    [InlineData("""{"id":"ok","email":"not-an-email"}""", "email")]
    public async Task AMalformedIdentity_Is400NamingTheField(string body, string field)
    {
        var visitor = await _server.NewVisitorAsync();
        using var http = VisitorHttp(_server, visitor.Token);

        var response = await http.PostAsync("/api/v1/widget/identify", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_identity", field);
    }

    [Fact]
    public async Task Settings_EnforcingWithoutASecret_IsRefused_AnotherWorkspace_Gets404_AndChangesAreAuditedWithoutTheSecret()
    {
        await using var server = new KefuFactory().Start();
        using var admin = await server.AgentHttpAsync();
        var inbox = await InboxIdAsync(server);
        var (_, otherEmail) = await server.CreateOtherTenantAsync();
        await server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await server.AgentHttpAsync(await server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));

        var refused = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/identity-verification", new { enforce = true });
        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "identity_secret_missing", "enforce");
        Assert.False(await server.WithDbAsync(db => db.Set<InboxIdentityKey>().AnyAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/inboxes/{inbox}/identity-verification")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PostAsync($"/api/v1/inboxes/{inbox}/identity-verification/secret", null)).StatusCode);

        var secret = await SecretAsync(server);
        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/identity-verification", new { enforce = true })).EnsureSuccessStatusCode();
        var shown = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/inboxes/{inbox}/identity-verification");

        Assert.Equal(secret, shown.GetProperty("secret").GetString());
        Assert.True(shown.GetProperty("enforce").GetBoolean());
        var stored = await server.WithDbAsync(db => db.Set<InboxIdentityKey>().SingleAsync());
        Assert.DoesNotContain(secret, stored.SecretCipher, StringComparison.Ordinal);
        var details = await server.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.SettingChanged && a.TargetId == inbox.ToString())
            .OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync());
        Assert.Equal(["identityVerification.secret=regenerated", "identityVerification.enforce=on"], details);
    }

    internal static async Task<string> SecretAsync(KefuFactory server)
    {
        using var admin = await server.AgentHttpAsync();
        var response = await admin.PostAsync($"/api/v1/inboxes/{await InboxIdAsync(server)}/identity-verification/secret", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    internal static async Task<Guid> InboxIdAsync(KefuFactory server)
    {
        var key = await server.DemoWidgetKeyAsync();
        return await server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey == key).Select(i => i.Id).SingleAsync());
    }

    internal static async Task<JsonElement> IdentifyAsync(KefuFactory server, string token, object body)
    {
        var response = await PostIdentifyAsync(server, token, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> PostIdentifyAsync(KefuFactory server, string token, object body)
    {
        using var http = VisitorHttp(server, token);
        return await http.PostAsJsonAsync("/api/v1/widget/identify", body);
    }

    private static HttpClient VisitorHttp(KefuFactory server, string token)
    {
        var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }
}
