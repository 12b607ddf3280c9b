using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>
/// Every audited action that exists today, through its real route: exactly one entry, with the right actor, workspace,
/// target and address, and a detail made of setting names and counts, never what people typed.
/// </summary>
public sealed class AuditInstrumentationTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private const string Typed = "Secret-Typed-Text";
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task CreatingAnAgent_AndATeam_AreAudited()
    {
        var (admin, http) = await AdminAsync();
        var email = $"new-{Guid.NewGuid():N}@audit.test";

        var agent = await ReadAsync(await http.PostAsJsonAsync("/api/v1/agents",
            new { email, displayName = Typed, password = KefuFactory.AdminPassword, role = "supervisor" }, KefuFactory.Json));
        var team = await ReadAsync(await http.PostAsJsonAsync("/api/v1/teams", new { name = Typed + " team" }));
        var duplicate = await http.PostAsJsonAsync("/api/v1/teams", new { name = Typed + " team" });

        var created = await OneAsync(AuditActions.AgentCreated, agent.GetProperty("id").GetString()!, admin);
        Assert.Equal("agent", created.TargetType);
        Assert.Equal("role=supervisor", created.Detail);
        var teamEntry = await OneAsync(AuditActions.TeamCreated, team.GetProperty("id").GetString()!, admin);
        Assert.Equal("team", teamEntry.TargetType);
        Assert.False(duplicate.IsSuccessStatusCode);
        Assert.Single(await _server.EntriesAsync(AuditActions.TeamCreated), e => e.TargetId == team.GetProperty("id").GetString());
        Assert.DoesNotContain(await _server.EntriesAsync(AuditActions.AgentCreated), e => e.Detail?.Contains(email) == true);
    }

    [Fact]
    public async Task ChangingAnAgentsRoutingSettings_IsAudited_WithTheSettingNamesOnly()
    {
        var (admin, http) = await AdminAsync();
        var agentId = await AgentIdAsync(await _server.CreateAgentInDemoTenantAsync());

        var response = await http.PutAsJsonAsync($"/api/v1/agents/{agentId}/routing", new { capacity = 7, skills = "typedskill:4" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var entry = await OneAsync(AuditActions.AgentUpdated, agentId.ToString(), admin);
        Assert.Equal("routing changed=capacity,skills", entry.Detail);
    }

    [Fact]
    public async Task DeactivatingAnAgent_IsAudited()
    {
        var (admin, http) = await AdminAsync();
        var agentId = await AgentIdAsync(await _server.CreateAgentInDemoTenantAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync($"/api/v1/agents/{agentId}/deactivate", null)).StatusCode);

        Assert.Null((await OneAsync(AuditActions.AgentDeactivated, agentId.ToString(), admin)).Detail);
    }

    [Fact]
    public async Task ChangingOnesPassword_IsAudited_FailedAttemptsToo_WithoutThePasswords()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var (user, _) = await UserAsync(email);
        using var http = await _server.BearerAsync(email);

        var wrong = await http.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = "Wrong-Password-1!", newPassword = "New-Password-456!" });
        var right = await http.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = KefuFactory.AdminPassword, newPassword = "New-Password-456!" });

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        var entries = await _server.EntriesAsync(AuditActions.PasswordChanged, user.ToString());
        Assert.Equal([AuditOutcome.Failed, AuditOutcome.Succeeded], entries.Select(e => e.Outcome));
        Assert.Equal(["reason=wrong_current_password", "other_sessions=ended"], entries.Select(e => e.Detail));
        Assert.All(entries, e => Assert.Equal(user, e.ActorId));
        Assert.All(entries, e => Assert.DoesNotContain("Password-", e.Detail));
    }

    [Fact]
    public async Task SigningOut_IsAudited_WithTheSessionItEnded()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        var user = await UserAsync(email);
        using var http = await _server.BearerAsync(email);

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        var entry = await OneAsync(AuditActions.SignedOut, user.Id.ToString(), user);
        Assert.StartsWith("session=", entry.Detail); // sign-out ends the current session only (SignInSessionTests)
    }

    [Fact]
    public async Task SwitchingTheBot_AndSettingInboxRouting_AreAudited()
    {
        var (admin, http) = await AdminAsync();
        var inbox = await _server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());
        var before = await _server.EntriesAsync(AuditActions.SettingChanged, inbox.ToString());

        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/bot", new { enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/routing",
            new { strategy = "leastBusy", mode = "manual", offerTimeoutSeconds = 45, businessHours = "mon-fri 09:00-18:00" }, KefuFactory.Json)).StatusCode);

        var added = (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.ToString())).Skip(before.Count).ToList();
        Assert.Equal(2, added.Count);
        Assert.Equal("bot.enabled=false, bot.name, bot.greeting", added[0].Detail);
        Assert.Matches("^routing (created|changed=.*strategy.*)$", added[1].Detail);
        Assert.DoesNotContain("09:00", added[1].Detail);
        Assert.All(added, e => AssertBy(e, admin));
    }

    [Fact]
    public async Task Knowledge_CreateUpdateDeleteImportAndExport_AreAudited_WithoutArticleText()
    {
        var (admin, http) = await AdminAsync();

        var article = await ReadAsync(await http.PostAsJsonAsync("/api/v1/knowledge/articles",
            new { question = Typed + "?", answer = Typed, phrasings = new[] { Typed + " 1", Typed + " 2" }, language = "en", status = "published" }, KefuFactory.Json));
        var id = article.GetProperty("id").GetString()!;
        var update = await http.PutAsJsonAsync($"/api/v1/knowledge/articles/{id}",
            new { question = Typed + "?", answer = Typed + " changed", phrasings = new[] { Typed + " 1", Typed + " 2" }, language = "en", status = "draft" }, KefuFactory.Json);
        var delete = await http.DeleteAsync($"/api/v1/knowledge/articles/{id}");
        var deleteAgain = await http.DeleteAsync($"/api/v1/knowledge/articles/{id}");
        var importsBefore = (await _server.EntriesAsync(AuditActions.ArticlesImported)).Count;
        var exportsBefore = (await _server.EntriesAsync(AuditActions.DataExported)).Count;
        var import = await http.PostAsync("/api/v1/knowledge/import?format=csv",
            new StringContent($"question,answer,language\n{Typed} a?,{Typed},en\n{Typed} b?,{Typed},en\n"));
        var export = await http.GetAsync("/api/v1/knowledge/export?format=json");

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleteAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("status=published; language=en; phrasings=2", (await OneAsync(AuditActions.ArticleCreated, id, admin)).Detail);
        Assert.Equal("changed=answer,status", (await OneAsync(AuditActions.ArticleUpdated, id, admin)).Detail);
        await OneAsync(AuditActions.ArticleDeleted, id, admin);
        var imported = Assert.Single((await _server.EntriesAsync(AuditActions.ArticlesImported)).Skip(importsBefore));
        AssertBy(imported, admin);
        Assert.Equal("format=csv; created=2; updated=0", imported.Detail);
        var exported = Assert.Single((await _server.EntriesAsync(AuditActions.DataExported)).Skip(exportsBefore));
        AssertBy(exported, admin);
        Assert.Matches("^format=json; articles=[0-9]+$", exported.Detail);
        Assert.DoesNotContain(await _server.WithDbAsync(db => db.AuditEntries.Select(e => e.Detail).ToListAsync()), d => d?.Contains(Typed) == true);
    }

    [Fact]
    public async Task ForcingAMemoryCollection_IsAudited()
    {
        var (admin, http) = await AdminAsync();
        var before = (await _server.EntriesAsync(AuditActions.MemoryCollected)).Count;

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/v1/diagnostics/memory/collect", null)).StatusCode);

        AssertBy(Assert.Single((await _server.EntriesAsync(AuditActions.MemoryCollected)).Skip(before)), admin);
    }

    private async Task<((Guid Id, Guid TenantId) User, HttpClient Http)> AdminAsync() =>
        (await UserAsync(KefuFactory.AdminEmail), await _server.AgentHttpAsync());

    private async Task<(Guid Id, Guid TenantId)> UserAsync(string email)
    {
        var user = await _server.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        return (user.Id, user.TenantId);
    }

    private async Task<Guid> AgentIdAsync(string email) => (await UserAsync(email)).Id;

    private async Task<AuditEntry> OneAsync(string action, string targetId, (Guid Id, Guid TenantId) actor)
    {
        var entry = Assert.Single(await _server.EntriesAsync(action, targetId));
        AssertBy(entry, actor);
        return entry;
    }

    private static void AssertBy(AuditEntry entry, (Guid Id, Guid TenantId) actor)
    {
        Assert.Equal(actor.Id, entry.ActorId);
        Assert.Equal(actor.TenantId, entry.TenantId);
        Assert.Equal(AuditOutcome.Succeeded, entry.Outcome);
        Assert.Equal("127.0.0.1", entry.ClientIp);
        Assert.DoesNotContain("@", entry.Detail ?? "");
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
