using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Contacts;

/// <summary><c>POST /api/v1/contacts/{id}/unmask</c>: a contact's masked e-mail and phone revealed to those who may, audited; nobody else learns anything.</summary>
public sealed class ContactUnmaskTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private const string Mobile = "138 0013 8000";

    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Unmask_ByAnAdmin_ReturnsTheTypedPhone_NoStore_AndAuditsTheFieldNamesOnly()
    {
        using var admin = await _server.AgentHttpAsync();
        var id = await MaskedContactAsync(admin);

        var response = await admin.PostAsync($"/api/v1/contacts/{id}/unmask", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var revealed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Mobile, revealed.GetProperty("phone").GetString());
        Assert.Equal("plain@example.com", revealed.GetProperty("email").GetString());
        Assert.Equal(["phone"], revealed.GetProperty("revealed").EnumerateArray().Select(f => f.GetString()));
        var entry = await _server.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == id.ToString()));
        Assert.Equal(("contact", "fields=phone", AuditOutcome.Succeeded), (entry.TargetType, entry.Detail, entry.Outcome));
        Assert.NotNull(entry.ActorId);
        Assert.Equal("138****8000", await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == id).Select(c => c.Phone).SingleAsync())); // still stored masked
    }

    [Fact]
    public async Task Unmask_WithoutThePermission_Is403_EvenWithTheContactsPermission_AndAuditsNothing()
    {
        using var admin = await _server.AgentHttpAsync();
        var id = await MaskedContactAsync(admin);
        var ws = new Workspace(_server);
        using var editor = await ws.PersonAsync();
        await admin.SetAccessAsync(editor.Id, await admin.CreateRoleAsync("Contact editor " + Guid.NewGuid().ToString("N")[..6], "conversationsAll", "contacts"));

        var response = await editor.Http.PostAsync($"/api/v1/contacts/{id}/unmask", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("0013", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == id.ToString())));
    }

    [Fact]
    public async Task Unmask_AnotherWorkspacesContact_Is404_EvenForItsAdmin_AndAnUnmaskerWhoCannotSeeTheContactGets404()
    {
        using var admin = await _server.AgentHttpAsync();
        var id = await MaskedContactAsync(admin);
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var ws = new Workspace(_server);
        using var narrow = await ws.PersonAsync();
        await admin.SetAccessAsync(narrow.Id, await admin.CreateRoleAsync("Own unmasker " + Guid.NewGuid().ToString("N")[..6], "conversationsAssigned", "unmaskPersonalData"));

        var fromAnotherWorkspace = await foreign.PostAsync($"/api/v1/contacts/{id}/unmask", null);
        var outOfScope = await narrow.Http.PostAsync($"/api/v1/contacts/{id}/unmask", null);
        var missing = await admin.PostAsync($"/api/v1/contacts/{Guid.NewGuid()}/unmask", null);

        foreach (var response in new[] { fromAnotherWorkspace, outOfScope, missing })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("contact_not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        Assert.False(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == id.ToString())));
    }

    /// <summary>A visitor's contact whose phone an agent typed: a mainland mobile number, so stored masked.</summary>
    private async Task<Guid> MaskedContactAsync(HttpClient admin)
    {
        var id = (await _server.NewVisitorAsync()).ContactId;
        var saved = await admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "Masked Person", email = "plain@example.com", phone = Mobile, tags = Array.Empty<string>() });
        saved.EnsureSuccessStatusCode();
        Assert.Equal("138****8000", (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phone").GetString());
        return id;
    }
}
