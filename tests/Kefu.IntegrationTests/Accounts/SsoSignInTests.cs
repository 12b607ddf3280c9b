using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>
/// Single sign-on end to end: Kefu's console against a real OpenID Connect provider (OpenIddict) on loopback,
/// through real redirects, cookies, the code exchange and the id token.
/// </summary>
public sealed class SsoSignInTests(SsoRig rig) : IClassFixture<SsoRig>
{
    [Fact]
    public async Task SsoSignIn_RoundTrip_SignsTheAgentIntoTheConsole_WithPkce_AndAudits()
    {
        await rig.ConfigureAsync();
        var (email, agentId) = await rig.AgentKnownToProviderAsync();
        using var browser = new SsoBrowser();

        var final = await browser.SignInAsync(rig.Server, rig.TenantId, email);

        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal("/console", browser.Visited[^1].AbsolutePath);
        Assert.True(browser.HasAuthCookie(rig.Server));
        var authorize = rig.Provider.AuthorizationRequests.Last();
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(authorize["code_challenge"]));
        Assert.False(string.IsNullOrEmpty(authorize["state"]));
        Assert.False(string.IsNullOrEmpty(authorize["nonce"]));
        Assert.Equal(email, authorize["login_hint"]);

        // The cookie is a real console session: the API answers as that agent.
        using var api = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies }) { BaseAddress = rig.Server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/conversations")).StatusCode);
        var audit = Assert.Single(await rig.AuditAsync(AuditActions.SsoSignedIn), a => a.ActorId == agentId);
        Assert.Equal(rig.TenantId, audit.TenantId);
    }

    [Fact]
    public async Task SsoDiscovery_ByEmailDomain_LeadsThroughTheWorkspacesProvider_AndUnknownDomainsBackToThePasswordForm()
    {
        await rig.ConfigureAsync(domains: ["demo.test"]);
        var (email, _) = await rig.AgentKnownToProviderAsync();
        using var browser = new SsoBrowser();

        var final = await browser.FollowAsync(new Uri(rig.Server.BaseAddress, "/console/sso?email=" + Uri.EscapeDataString(email)));

        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal("/console", browser.Visited[^1].AbsolutePath);
        Assert.True(browser.HasAuthCookie(rig.Server));

        using var stranger = new SsoBrowser();
        await stranger.FollowAsync(new Uri(rig.Server.BaseAddress, "/console/sso?email=someone%40unknown-domain.test"));
        Assert.Equal("/console/login", stranger.Visited[^1].AbsolutePath);
        Assert.Contains("error=sso_unknown_domain", stranger.Visited[^1].Query, StringComparison.Ordinal);
        Assert.DoesNotContain(stranger.Visited, u => u.Authority == rig.Provider.Authority.Authority);
    }

    [Fact]
    public async Task SsoSignIn_WithTamperedState_IsRefused()
    {
        await rig.ConfigureAsync();
        var (email, _) = await rig.AgentKnownToProviderAsync();
        using var browser = new SsoBrowser();

        var final = await browser.SignInAsync(rig.Server, rig.TenantId, email, uri =>
            uri.AbsolutePath.EndsWith("/callback", StringComparison.Ordinal) && !uri.Query.Contains("kefu-tampered", StringComparison.Ordinal)
                ? SsoBrowser.WithQuery(uri, "state", "kefu-tampered" + Guid.NewGuid().ToString("N"))
                : uri);

        await AssertRefusedAsync(browser, final, "sso_failed", "reason=state");
    }

    [Fact]
    public async Task SsoSignIn_WithAnotherNonce_IsRefused()
    {
        await rig.ConfigureAsync();
        var (email, _) = await rig.AgentKnownToProviderAsync();
        using var browser = new SsoBrowser();

        // The provider signs whatever nonce it is sent: the id token then carries one this browser never got.
        var final = await browser.SignInAsync(rig.Server, rig.TenantId, email, uri =>
            uri.AbsolutePath.EndsWith("/connect/authorize", StringComparison.Ordinal) && !uri.Query.Contains("nonce=forged", StringComparison.Ordinal)
                ? SsoBrowser.WithQuery(uri, "nonce", "forged" + Guid.NewGuid().ToString("N"))
                : uri);

        await AssertRefusedAsync(browser, final, "sso_failed", "reason=nonce");
    }

    [Fact]
    public async Task SsoSignIn_EmailOfNoAgent_IsRefused_AndNothingIsCreated()
    {
        await rig.ConfigureAsync(provision: false);
        var email = $"nobody-{Guid.NewGuid():N}@sso-jit.test";
        rig.Provider.AddUser(email);
        using var browser = new SsoBrowser();

        var final = await browser.SignInAsync(rig.Server, rig.TenantId, email);

        await AssertRefusedAsync(browser, final, "sso_no_agent", "reason=no_agent");
        Assert.False(await rig.Server.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task SsoSignIn_WithProvisioning_CreatesTheAgentWithTheConfiguredRole_OnlyInAllowedDomains()
    {
        await rig.ConfigureAsync(provision: true, domains: ["sso-jit.test"], provisionRole: "supervisor");
        var allowed = $"new-{Guid.NewGuid():N}@sso-jit.test";
        var elsewhere = $"new-{Guid.NewGuid():N}@elsewhere.test";
        rig.Provider.AddUser(allowed);
        rig.Provider.AddUser(elsewhere);

        using var first = new SsoBrowser();
        var signedIn = await first.SignInAsync(rig.Server, rig.TenantId, allowed);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.True(first.HasAuthCookie(rig.Server));
        var user = await rig.Server.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == allowed));
        Assert.Equal((rig.TenantId, AgentRole.Supervisor), (user.TenantId, user.Role));
        Assert.Null(user.PasswordHash);
        Assert.Contains(await rig.AuditAsync(AuditActions.SsoProvisioned), a => a.ActorId == user.Id && a.TargetId == user.Id.ToString());

        using var second = new SsoBrowser();
        var refused = await second.SignInAsync(rig.Server, rig.TenantId, elsewhere);
        await AssertRefusedAsync(second, refused, "sso_no_agent", "reason=domain_not_allowed");
        Assert.False(await rig.Server.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == elsewhere)));
    }

    [Fact]
    public async Task SsoSignIn_DeactivatedAgent_IsRefused()
    {
        await rig.ConfigureAsync();
        var (email, id) = await rig.AgentKnownToProviderAsync();
        using (var admin = await rig.Server.AgentHttpAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/agents/{id}/deactivate", null)).StatusCode);
        }

        using var browser = new SsoBrowser();
        var final = await browser.SignInAsync(rig.Server, rig.TenantId, email);

        await AssertRefusedAsync(browser, final, "sso_no_agent", "reason=deactivated");
    }

    [Fact]
    public async Task SsoSignIn_UnverifiedEmail_IsRefused()
    {
        await rig.ConfigureAsync();
        var (email, _) = await rig.AgentKnownToProviderAsync(emailVerified: false);
        using var browser = new SsoBrowser();

        var final = await browser.SignInAsync(rig.Server, rig.TenantId, email);

        await AssertRefusedAsync(browser, final, "sso_unverified_email", "reason=email_unverified");
    }

    [Fact]
    public async Task SsoSignIn_AnotherWorkspacesAgent_IsRefused()
    {
        await rig.ConfigureAsync();
        var (_, otherEmail) = await rig.Server.CreateOtherTenantAsync();
        rig.Provider.AddUser(otherEmail);
        using var browser = new SsoBrowser();

        var final = await browser.SignInAsync(rig.Server, rig.TenantId, otherEmail);

        await AssertRefusedAsync(browser, final, "sso_no_agent", "reason=other_workspace");
    }

    [Fact]
    public async Task EnforcedSso_RefusesAgentsPasswords_OnTheFormAndTheApi_ButAdminsKeepThem()
    {
        await rig.ConfigureAsync(enforce: true);
        try
        {
            var email = await rig.Server.CreateAgentInDemoTenantAsync("Password agent");

            var (form, response, error) = await ConsoleSignIn.PostAsync(rig.Server, email, KefuFactory.AdminPassword);
            form.Dispose();
            Assert.Equal("This workspace signs its agents in through single sign-on.", error);
            Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("kefu.auth=", StringComparison.Ordinal));
            Assert.Contains("data-testid=\"sso-start\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var http = rig.Server.Http();
            var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = KefuFactory.AdminPassword });
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
            Assert.Equal("sso_required", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

            // A wrong password gets the ordinary answer: the refusal tells nothing to someone without the password.
            var (wrong, _, wrongError) = await ConsoleSignIn.PostAsync(rig.Server, email, "Not-the-password-1!");
            wrong.Dispose();
            Assert.Equal("Wrong e-mail or password, or too many attempts. Try again in a few minutes.", wrongError);

            // Break-glass: the admin still signs in with a password.
            Assert.False(string.IsNullOrEmpty(await rig.Server.AgentTokenAsync()));
            Assert.Contains(await rig.AuditAsync(AuditActions.SignInFailed), a => a.Detail == "reason=sso_enforced" && a.Outcome == AuditOutcome.Denied);
        }
        finally
        {
            await rig.ConfigureAsync(enforce: false);
        }
    }

    private async Task AssertRefusedAsync(SsoBrowser browser, HttpResponseMessage final, string error, string auditDetail)
    {
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Equal("/console/login", browser.Visited[^1].AbsolutePath);
        Assert.Contains("error=" + error, browser.Visited[^1].Query, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"login-error\"", await final.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(browser.HasAuthCookie(rig.Server));
        Assert.Contains(await rig.AuditAsync(AuditActions.SsoRefused), a => a.Detail == auditDetail && a.TenantId == rig.TenantId && a.Outcome == AuditOutcome.Denied);
    }
}
