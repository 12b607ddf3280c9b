using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Security;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>The console language is the user's: stored on the account, written into the culture cookie at sign-in.</summary>
public sealed class LanguageTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Put_StoresTheLanguage_AndTheNextSignInCarriesIt()
    {
        var email = await _server.CreateAgentInDemoTenantAsync("Language agent");
        using var api = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));

        var response = await api.PutAsJsonAsync("/api/v1/account/language", new { language = "zh-CN" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("zh-CN", await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Language).FirstAsync()));

        var (login, cookies) = await ConsoleSession.PostLoginAsync(_server, email, KefuFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("c%3Dzh-CN%7Cuic%3Dzh-CN", cookies.GetCookieHeader(_server.BaseAddress));
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Put_RefusesALanguageTheConsoleDoesNotSpeak_AndChangesNothing(string? language)
    {
        var email = await _server.CreateAgentInDemoTenantAsync("Language agent");
        using var api = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));

        var response = await api.PutAsJsonAsync("/api/v1/account/language", new { language });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unsupported_language", problem.GetProperty("code").GetString());
        Assert.Equal("language", problem.GetProperty("field").GetString());
        Assert.Null(await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Language).FirstAsync()));
    }

    [Fact]
    public async Task ConsoleSwitch_SetsTheCookie_AndRedirectsOnlyInsideTheConsole()
    {
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);
        using var http = ConsoleSession.RawClient(_server);

        var back = await SwitchAsync(http, cookie, ConsoleSession.OwnOrigin(_server), "zh-CN", "/console/settings");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/console/settings", back.Headers.Location!.OriginalString);
        Assert.Contains(back.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dzh-CN", StringComparison.Ordinal));

        var away = await SwitchAsync(http, cookie, ConsoleSession.OwnOrigin(_server), "en", "//evil.example/console");
        Assert.Equal("/console", away.Headers.Location!.OriginalString);

        // Restore the admin's default for the other tests of this server.
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, (string?)null)));
    }

    [Fact]
    public async Task ConsoleSwitch_FromASiblingOrigin_IsRefused_AndStoresNothing()
    {
        var email = await _server.CreateAgentInDemoTenantAsync("Language agent");
        var (_, cookies) = await ConsoleSession.PostLoginAsync(_server, email, KefuFactory.AdminPassword);
        using var http = ConsoleSession.RawClient(_server);

        var response = await SwitchAsync(http, cookies.GetCookieHeader(_server.BaseAddress), ConsoleSession.SiblingPortOrigin(_server), "zh-CN", "/console");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Language).FirstAsync()));
    }

    private static Task<HttpResponseMessage> SwitchAsync(HttpClient http, string cookie, string origin, string language, string returnUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/language")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["language"] = language, ["returnUrl"] = returnUrl }),
        };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", origin);
        return http.SendAsync(request);
    }
}
