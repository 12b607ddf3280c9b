using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.ApiKeys;

/// <summary>API keys through real HTTP: scopes, workspaces, revocation, storage, and where a key is not accepted.</summary>
public sealed class ApiKeyTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task CreateKey_IsShownOnce_AndOnlyItsHashIsStored()
    {
        using var admin = await _server.AgentHttpAsync();
        var (id, key) = await admin.CreateKeyAsync("read", "contacts");

        Assert.StartsWith("kefu_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 45);
        var row = await _server.WithDbAsync(db => db.Set<ApiKey>().AsNoTracking().SingleAsync(k => k.Id == id));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), row.Hash);
        Assert.Equal(key[..13], row.Prefix);
        Assert.Empty(await _server.WithDbAsync(db => db.Set<ApiKey>().Where(k => k.Hash == key || k.Name == key || k.Prefix == key).ToListAsync()));
        Assert.DoesNotContain(key, await _server.WithDbAsync(db => db.AuditEntries.Select(a => a.Detail ?? "").ToListAsync()));

        var list = await admin.GetStringAsync("/api/v1/api-keys");
        Assert.Contains(id.ToString(), list, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list, StringComparison.Ordinal);
        Assert.Contains(key[..13], list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadKey_Reads_ButCannotWrite_403_AndNothingIsStored()
    {
        using var admin = await _server.AgentHttpAsync();
        var (_, key) = await admin.CreateKeyAsync("read", "contacts", "people");
        using var http = _server.KeyHttp(key);
        var teamsBefore = await _server.WithDbAsync(db => db.Teams.CountAsync());

        var read = await http.GetAsync("/api/v1/contacts");
        var write = await http.PostAsJsonAsync("/api/v1/teams", new { name = "Written by a read key" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("insufficient_scope", await write.CodeAsync());
        Assert.Equal(teamsBefore, await _server.WithDbAsync(db => db.Teams.CountAsync()));
    }

    [Fact]
    public async Task WriteKey_WithoutAPermission_Gets403_AndSeesNoConversation()
    {
        var ws = new Workspace(_server);
        var conversation = await ws.ConversationAsync(text: "not for the contacts key");
        using var admin = await _server.AgentHttpAsync();
        var (_, key) = await admin.CreateKeyAsync("write", "contacts");
        using var http = _server.KeyHttp(key);

        var knowledge = await http.PostAsJsonAsync("/api/v1/knowledge/articles", new { question = "By key?", answer = "Answer", category = "Test" });
        var messages = await http.GetAsync($"/api/v1/conversations/{conversation}/messages");
        var list = await http.GetStringAsync("/api/v1/conversations");

        Assert.Equal(HttpStatusCode.Forbidden, knowledge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, messages.StatusCode);
        Assert.DoesNotContain(conversation.ToString(), list, StringComparison.OrdinalIgnoreCase);
        Assert.False(await _server.WithDbAsync(db => db.Articles.AnyAsync(a => a.Question == "By key?")));
    }

    [Fact]
    public async Task WriteKey_WithThePermission_ActsLikeAPersonHoldingIt()
    {
        var ws = new Workspace(_server);
        var conversation = await ws.ConversationAsync(text: "for the key");
        using var admin = await _server.AgentHttpAsync();
        var (_, key) = await admin.CreateKeyAsync("write", "conversationsAll", "supervise");
        using var http = _server.KeyHttp(key);

        var messages = await http.GetAsync($"/api/v1/conversations/{conversation}/messages");
        var resolve = await http.PostAsync($"/api/v1/conversations/{conversation}/resolve", null);

        Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
        Assert.True(resolve.IsSuccessStatusCode, $"resolve answered {(int)resolve.StatusCode}");
    }

    [Fact]
    public async Task KeyOfWorkspaceA_OnWorkspaceBsObjects_Gets404()
    {
        var (otherWidget, _) = await _server.CreateOtherTenantAsync();
        var ws = new Workspace(_server);
        var foreignConversation = await ws.ConversationAsync(key: otherWidget, text: "workspace B");
        var foreignContact = await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == foreignConversation).Select(c => c.ContactId).SingleAsync());
        using var admin = await _server.AgentHttpAsync();
        var (_, key) = await admin.CreateKeyAsync("admin", "conversationsAll", "supervise", "contacts", "settings");
        using var http = _server.KeyHttp(key);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/conversations/{foreignConversation}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"/api/v1/conversations/{foreignConversation}/resolve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/contacts/{foreignContact}")).StatusCode);
        Assert.DoesNotContain(foreignConversation.ToString(), await http.GetStringAsync("/api/v1/conversations"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnotherWorkspacesKey_CannotBeRevoked_404()
    {
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreignAdmin = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        using var admin = await _server.AgentHttpAsync();
        var (id, key) = await admin.CreateKeyAsync("read", "contacts");

        var revoke = await foreignAdmin.DeleteAsync($"/api/v1/api-keys/{id}");
        var foreignList = await foreignAdmin.GetStringAsync("/api/v1/api-keys");

        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.DoesNotContain(id.ToString(), foreignList, StringComparison.Ordinal);
        using var http = _server.KeyHttp(key);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/contacts")).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_IsRefusedAtItsNextRequest_AndTheRevocationIsAudited()
    {
        using var admin = await _server.AgentHttpAsync();
        var (id, key) = await admin.CreateKeyAsync("read", "contacts");
        using var http = _server.KeyHttp(key);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/contacts")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/contacts")).StatusCode);
        Assert.NotNull(await _server.WithDbAsync(db => db.Set<ApiKey>().Where(k => k.Id == id).Select(k => k.RevokedAt).SingleAsync()));
        Assert.True(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.TargetId == id.ToString() && a.Detail == "revoked")));
    }

    [Fact]
    public async Task KeyOfADeactivatedCreator_IsRefused()
    {
        var ws = new Workspace(_server);
        using var creator = await ws.PersonAsync(AgentRole.Admin, "Key maker");
        var (_, key) = await creator.Http.CreateKeyAsync("read", "contacts");
        using var http = _server.KeyHttp(key);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/contacts")).StatusCode);

        using var admin = await _server.AgentHttpAsync();
        Assert.True((await admin.PostAsync($"/api/v1/agents/{creator.Id}/deactivate", null)).IsSuccessStatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/contacts")).StatusCode);
    }

    [Fact]
    public async Task Key_NeverDoesMoreThanItsCreatorDoesNow()
    {
        var ws = new Workspace(_server);
        using var creator = await ws.PersonAsync(AgentRole.Admin, "Demoted later");
        var (_, key) = await creator.Http.CreateKeyAsync("admin", "contacts", "settings");
        using var http = _server.KeyHttp(key);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/inboxes")).StatusCode);

        using var admin = await _server.AgentHttpAsync();
        var role = await admin.CreateRoleAsync("Contacts only " + Guid.NewGuid().ToString("N")[..6], "contacts");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SetAccessAsync(creator.Id, role)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/inboxes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/contacts")).StatusCode);
    }

    [Theory]
    [InlineData("", "read", "contacts", "name")]
    [InlineData("Key", "owner", "contacts", "access")]
    [InlineData("Key", "read", "everything", "permissions")]
    [InlineData("Key", "write", "settings", "permissions")]
    public async Task CreateKey_BadInput_IsRefusedWithTheField_AndNothingIsStored(string name, string access, string permission, string field)
    {
        using var admin = await _server.AgentHttpAsync();
        var before = await _server.WithDbAsync(db => db.Set<ApiKey>().CountAsync());

        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name, access, permissions = new[] { permission } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(before, await _server.WithDbAsync(db => db.Set<ApiKey>().CountAsync()));
    }

    [Fact]
    public async Task CreateKey_BeyondTheCreatorsOwnPermissions_Is403()
    {
        var ws = new Workspace(_server);
        using var admin = await _server.AgentHttpAsync();
        using var settingsOnly = await ws.PersonAsync(name: "Settings only");
        var role = await admin.CreateRoleAsync("Settings " + Guid.NewGuid().ToString("N")[..6], "settings", "contacts");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SetAccessAsync(settingsOnly.Id, role)).StatusCode);

        var beyond = await settingsOnly.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "Audit reader", access = "read", permissions = new[] { "audit" } });
        var within = await settingsOnly.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "Contacts", access = "read", permissions = new[] { "contacts" } });

        Assert.Equal(HttpStatusCode.Forbidden, beyond.StatusCode);
        Assert.Equal(HttpStatusCode.Created, within.StatusCode);
    }

    [Fact]
    public async Task Key_CannotManageKeys_NorUseAPersonsOwnAccountRoutes()
    {
        using var admin = await _server.AgentHttpAsync();
        var (id, key) = await admin.CreateKeyAsync("admin", "settings", "people", "contacts");
        using var http = _server.KeyHttp(key);

        var create = await http.PostAsJsonAsync("/api/v1/api-keys", new { name = "Child", access = "admin", permissions = new[] { "settings" } });
        var revoke = await http.DeleteAsync($"/api/v1/api-keys/{id}");
        var sessions = await http.GetAsync("/api/v1/account/sessions");
        var password = await http.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = "x", newPassword = "y" });

        Assert.All([create, revoke, sessions, password], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Null(await _server.WithDbAsync(db => db.Set<ApiKey>().Where(k => k.Id == id).Select(k => k.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task Key_IsAcceptedOnlyByTheRestApi_InTheAuthorizationHeader()
    {
        using var admin = await _server.AgentHttpAsync();
        var (_, key) = await admin.CreateKeyAsync("admin", "settings", "contacts");
        using var http = _server.KeyHttp(key);
        using var anonymous = _server.Http();

        var console = await http.GetAsync("/console/settings/api-keys");
        var hub = await http.PostAsync("/hubs/agent/negotiate?negotiateVersion=1", null);
        var query = await anonymous.GetAsync($"/api/v1/contacts?access_token={key}");

        Assert.Equal(HttpStatusCode.Unauthorized, console.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
    }

    [Fact]
    public async Task LastUsed_IsWrittenOnUse_AtMostOnceAMinute()
    {
        using var admin = await _server.AgentHttpAsync();
        var (id, key) = await admin.CreateKeyAsync("read", "contacts");
        Assert.Null(await _server.WithDbAsync(db => db.Set<ApiKey>().Where(k => k.Id == id).Select(k => k.LastUsedAt).SingleAsync()));
        using var http = _server.KeyHttp(key);

        await http.GetAsync("/api/v1/contacts");
        var first = await _server.WithDbAsync(db => db.Set<ApiKey>().Where(k => k.Id == id).Select(k => k.LastUsedAt).SingleAsync());
        await http.GetAsync("/api/v1/contacts");
        var second = await _server.WithDbAsync(db => db.Set<ApiKey>().Where(k => k.Id == id).Select(k => k.LastUsedAt).SingleAsync());

        Assert.NotNull(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ListKeys_PagesByCursor_AndRefusesAHugePageSize()
    {
        using var admin = await _server.AgentHttpAsync();
        for (var i = 0; i < 3; i++)
        {
            await admin.CreateKeyAsync("read", "contacts");
        }

        var huge = await admin.GetAsync("/api/v1/api-keys?pageSize=1000000");
        var zero = await admin.GetAsync("/api/v1/api-keys?pageSize=0");
        var forged = await admin.GetAsync("/api/v1/api-keys?cursor=not-a-cursor");
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys?pageSize=2" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 2);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Equal("invalid_page_size", await huge.CodeAsync());
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var total = await _server.WithDbAsync(db => db.Set<ApiKey>().CountAsync());
        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
    }
}
