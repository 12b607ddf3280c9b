using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Sso;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Accounts;

/// <summary><c>GET/PUT /api/v1/workspace/sso</c>: admins only, own workspace only, the secret never returned.</summary>
public sealed class SsoSettingsTests(SsoRig rig) : IClassFixture<SsoRig>
{
    [Fact]
    public async Task SsoSettings_SecretIsStoredEncrypted_AndNeverReturned_AndTheChangeIsAudited()
    {
        var put = await rig.ConfigureAsync(domains: ["example-corp.test"]);

        using var admin = await rig.Server.AgentHttpAsync();
        var body = await admin.GetStringAsync("/api/v1/workspace/sso");
        Assert.DoesNotContain(TestOidcProvider.ClientSecret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOidcProvider.ClientSecret, put.GetRawText(), StringComparison.Ordinal);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.True(json.GetProperty("clientSecretSet").GetBoolean());
        Assert.Equal(new Uri(rig.Server.BaseAddress, $"/console/sso/{rig.TenantId:D}/callback").ToString(), json.GetProperty("redirectUri").GetString());
        var stored = await rig.Server.WithDbAsync(db => db.Set<SsoSettings>().AsNoTracking().SingleAsync(s => s.TenantId == rig.TenantId));
        Assert.NotNull(stored.ProtectedClientSecret);
        Assert.DoesNotContain(TestOidcProvider.ClientSecret, stored.ProtectedClientSecret, StringComparison.Ordinal);

        // Leaving the secret out keeps it; the audit entry names what changed, never the values.
        var keep = await admin.PutAsJsonAsync("/api/v1/workspace/sso", new
        {
            enabled = true, displayName = "Renamed IdP", authority = rig.Provider.Authority.ToString(), clientId = TestOidcProvider.ClientId,
            emailDomains = new[] { "example-corp.test" }, provisionRole = "supervisor",
        });
        Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        Assert.True((await keep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecretSet").GetBoolean());
        var changes = await rig.AuditAsync(AuditActions.SettingChanged);
        Assert.Contains(changes, a => a.TargetType == "sso" && a.Detail == "changed=display_name");
        Assert.All(changes, a => Assert.DoesNotContain(TestOidcProvider.ClientSecret, a.Detail ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SsoSettings_AnotherWorkspacesAdmin_SeesOnlyTheirOwn_404WhileUnset()
    {
        await rig.ConfigureAsync(domains: ["mine.test"]);
        var otherTenant = await rig.CreateAdminInOtherWorkspaceAsync();
        var otherAdminEmail = await rig.Server.WithDbAsync(db => db.Users.Where(u => u.TenantId == otherTenant).Select(u => u.Email!).SingleAsync());
        using var other = await rig.Server.AgentHttpAsync(await rig.Server.AgentTokenAsync(otherAdminEmail, KefuFactory.AdminPassword));

        var get = await other.GetAsync("/api/v1/workspace/sso");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("sso_not_found", (await get.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // A domain is one workspace's: the sign-in page must know where to send someone typing it.
        var taken = await other.PutAsJsonAsync("/api/v1/workspace/sso", new { enabled = false, emailDomains = new[] { "mine.test" } });
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal("sso_domain_taken", (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await other.PutAsJsonAsync("/api/v1/workspace/sso", new { enabled = false, displayName = "Theirs" })).StatusCode);

        var mine = await rig.Server.WithDbAsync(db => db.Set<SsoSettings>().AsNoTracking().SingleAsync(s => s.TenantId == rig.TenantId));
        Assert.Equal("Test IdP", mine.DisplayName);
    }

    [Fact]
    public async Task SsoSettings_AgentWithoutSettingsPermission_Gets403()
    {
        var email = await rig.Server.CreateAgentInDemoTenantAsync();
        using var agent = await rig.Server.AgentHttpAsync(await rig.Server.AgentTokenAsync(email, KefuFactory.AdminPassword));

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/workspace/sso")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutAsJsonAsync("/api/v1/workspace/sso", new { enabled = false })).StatusCode);
    }

    [Theory]
    [InlineData("http://idp.example.com/", "authority")]
    [InlineData("https://idp.example.com/?x=1", "authority")]
    [InlineData("not a url", "authority")]
    public async Task SsoSettings_RefusesAuthoritiesThatAreNotHttps(string authority, string field)
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var response = await admin.PutAsJsonAsync("/api/v1/workspace/sso", new { enabled = true, displayName = "X", authority, clientId = "c" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task SsoSettings_RefusesProvisioningAdmins_AndProvisioningWithoutDomains()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var request = new { enabled = true, displayName = "X", authority = "https://idp.example.com/", clientId = "c", provisionAgents = true, provisionRole = "admin" };

        var response = await admin.PutAsJsonAsync("/api/v1/workspace/sso", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("provisionRole", out _));
        Assert.True(errors.TryGetProperty("emailDomains", out _));
    }

    [Fact]
    public async Task SsoSettingsPage_ShowsTheRedirectUriToAdmins_AndNothingToAgents()
    {
        await rig.ConfigureAsync(domains: ["page.test"]);
        var (admin, _, adminError) = await ConsoleSignIn.PostAsync(rig.Server, KefuFactory.AdminEmail, KefuFactory.AdminPassword);
        Assert.Null(adminError);
        var page = await admin.GetStringAsync("/console/settings/sso");
        Assert.Contains($"/console/sso/{rig.TenantId:D}/callback", page, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOidcProvider.ClientSecret, page, StringComparison.Ordinal);
        admin.Dispose();

        var (agent, _, agentError) = await ConsoleSignIn.PostAsync(rig.Server, await rig.Server.CreateAgentInDemoTenantAsync(), KefuFactory.AdminPassword);
        Assert.Null(agentError);
        var refused = await agent.GetStringAsync("/console/settings/sso");
        Assert.Contains("data-testid=\"admins-only\"", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("/callback", refused, StringComparison.Ordinal);
        agent.Dispose();
    }
}
