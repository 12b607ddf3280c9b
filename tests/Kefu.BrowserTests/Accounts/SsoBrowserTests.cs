using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Accounts;

/// <summary>
/// Single sign-on in a real browser, under the console's Content-Security-Policy: an admin edits the settings
/// page, an agent signs in through the e-mail form, the test provider and back into a live console.
/// </summary>
public sealed class SsoBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Agent_SignsInThroughTheProvider_AndAdminEditsTheSettingsPage() => RunAsync(async () =>
    {
        await using var provider = await TestOidcProvider.StartAsync();
        var tenant = await TenantAsync();
        provider.AllowRedirectUri(Server.Url($"/console/sso/{tenant:D}/callback"));
        using var api = await AdminApiAsync();
        Assert.True((await api.PutAsJsonAsync("/api/v1/workspace/sso", new
        {
            enabled = true, displayName = "Test IdP", authority = provider.Authority.ToString(), clientId = TestOidcProvider.ClientId,
            clientSecret = TestOidcProvider.ClientSecret, emailDomains = new[] { "sso-browser.test" },
        })).IsSuccessStatusCode);
        var email = $"agent-{Guid.NewGuid():N}@sso-browser.test";
        Assert.True((await api.PostAsJsonAsync("/api/v1/agents", new { email, displayName = "SSO agent", password = KefuServer.AdminPassword })).IsSuccessStatusCode);
        provider.AddUser(email);

        var agent = await NewPageAsync("agent");
        var blocked = new List<string>();
        WatchForPolicyViolations(agent, blocked);
        await agent.GotoAsync("/console/login");
        await agent.Locator(".sso-discovery summary").ClickAsync();
        await agent.GetByTestId("sso-email").FillAsync(email);
        await agent.GetByTestId("sso-continue").ClickAsync();
        await WaitInteractiveAsync(agent);
        Assert.Contains(await agent.Context.CookiesAsync(), c => c.Name == "kefu.auth");

        var admin = await NewPageAsync("admin");
        WatchForPolicyViolations(admin, blocked);
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/sso");
        await Expect(admin.Locator("[data-testid=sso-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("sso-redirect-uri")).ToContainTextAsync($"/console/sso/{tenant:D}/callback");
        await admin.GetByTestId("sso-display-name").FillAsync("Renamed IdP");
        await admin.GetByTestId("sso-save").ClickAsync();
        await Expect(admin.GetByTestId("sso-saved")).ToBeVisibleAsync();
        var saved = await api.GetFromJsonAsync<JsonElement>("/api/v1/workspace/sso");
        Assert.Equal("Renamed IdP", saved.GetProperty("displayName").GetString());
        Assert.True(saved.GetProperty("clientSecretSet").GetBoolean());

        Assert.Empty(blocked);
        AssertNoDialogs();
    });

    /// <summary>Chromium reports every resource or script the Content-Security-Policy blocked on the console.</summary>
    private static void WatchForPolicyViolations(IPage page, List<string> blocked) => page.Console += (_, message) =>
    {
        if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
        {
            lock (blocked)
            {
                blocked.Add(message.Text);
            }
        }
    };

    private async Task<Guid> TenantAsync()
    {
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        return await db.Tenants.OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync();
    }
}
