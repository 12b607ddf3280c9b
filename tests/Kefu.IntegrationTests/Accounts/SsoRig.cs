using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>One Kefu server and one OpenID Connect provider, shared by the SSO tests of a class.</summary>
public sealed class SsoRig : IAsyncLifetime
{
    public KefuFactory Server { get; } = new();
    public TestOidcProvider Provider { get; private set; } = null!;
    public Guid TenantId { get; private set; }

    public async Task InitializeAsync()
    {
        Provider = await TestOidcProvider.StartAsync();
        Server.Start();
        TenantId = await Server.WithDbAsync(db => db.Tenants.OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync());
        Provider.AllowRedirectUri(new Uri(Server.BaseAddress, $"/console/sso/{TenantId:D}/callback").ToString());
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Provider.DisposeAsync();
    }

    /// <summary>Puts the demo workspace's SSO settings through the API, as its admin; returns the answer's JSON.</summary>
    public async Task<JsonElement> ConfigureAsync(bool provision = false, bool enforce = false, string[]? domains = null, string provisionRole = "supervisor")
    {
        using var admin = await Server.AgentHttpAsync();
        var response = await admin.PutAsJsonAsync("/api/v1/workspace/sso", new
        {
            enabled = true,
            displayName = "Test IdP",
            authority = Provider.Authority.ToString(),
            clientId = TestOidcProvider.ClientId,
            clientSecret = TestOidcProvider.ClientSecret,
            emailDomains = domains ?? ["sso-jit.test"],
            provisionAgents = provision,
            provisionRole,
            enforceSso = enforce,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>An agent of the demo workspace known to the provider; returns their e-mail and id.</summary>
    public async Task<(string Email, Guid Id)> AgentKnownToProviderAsync(bool emailVerified = true)
    {
        var email = await Server.CreateAgentInDemoTenantAsync("SSO agent");
        Provider.AddUser(email, emailVerified);
        var id = await Server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).FirstAsync());
        return (email, id);
    }

    internal Task<List<AuditEntry>> AuditAsync(string action) =>
        Server.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync());

    public async Task<Guid> CreateAdminInOtherWorkspaceAsync()
    {
        var (_, agentEmail) = await Server.CreateOtherTenantAsync();
        await using var scope = Server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var user = (await users.FindByEmailAsync(agentEmail))!;
        user.Role = AgentRole.Admin;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
        return user.TenantId;
    }
}

/// <summary>
/// A browser's part of the flow: a cookie jar shared by Kefu and the provider, redirects followed one by one so a
/// test can change a hop (a tampered state or nonce) on the way.
/// </summary>
public sealed class SsoBrowser : IDisposable
{
    private readonly HttpClient _http;

    public SsoBrowser() => _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false });

    public CookieContainer Cookies { get; } = new();

    /// <summary>Every address visited, in order.</summary>
    public List<Uri> Visited { get; } = [];

    /// <summary>Follows redirects from <paramref name="start"/>; <paramref name="rewrite"/> may change each address first.</summary>
    public async Task<HttpResponseMessage> FollowAsync(Uri start, Func<Uri, Uri>? rewrite = null)
    {
        var next = start;
        for (var hop = 0; hop < 15; hop++)
        {
            next = rewrite?.Invoke(next) ?? next;
            Visited.Add(next);
            var response = await _http.GetAsync(next);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect))
            {
                return response;
            }

            next = new Uri(next, response.Headers.Location!);
        }

        throw new InvalidOperationException("Too many redirects: " + string.Join(" -> ", Visited));
    }

    /// <summary>Starts SSO for the workspace at Kefu, with the e-mail as the provider's login hint.</summary>
    public Task<HttpResponseMessage> SignInAsync(KefuFactory server, Guid tenant, string email, Func<Uri, Uri>? rewrite = null) =>
        FollowAsync(new Uri(server.BaseAddress, $"/console/sso/{tenant:D}?email={Uri.EscapeDataString(email)}&returnUrl=%2Fconsole"), rewrite);

    public bool HasAuthCookie(KefuFactory server) =>
        Cookies.GetCookies(server.BaseAddress).Any(c => c.Name == "kefu.auth");

    /// <summary>The address with one query parameter replaced.</summary>
    public static Uri WithQuery(Uri uri, string name, string value)
    {
        var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query[name] = value;
        return new Uri(QueryHelpers.AddQueryString(uri.GetLeftPart(UriPartial.Path), query));
    }

    public void Dispose() => _http.Dispose();
}
