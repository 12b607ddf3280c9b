using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Accounts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.People;

/// <summary>
/// An admin adds a colleague from the console; the colleague accepts the invitation mail (a real SMTP server), signs in
/// and is offered a visitor's conversation; the admin deactivates them and their open console falls back to sign-in.
/// </summary>
public sealed partial class PeopleConsoleTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Password = "Invited-Agent-Pass-42!";

    [Fact]
    public Task AdminInvitesAnAgent_WhoSetsAPassword_SignsIn_AndIsOffered_ThenDeactivationSignsThemOut() => RunAsync(async () =>
    {
        await using var mail = await SignInMailServer.StartAsync(Server.MailPort);
        var email = $"new-agent-{Guid.NewGuid():N}@browser.test";

        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/people");
        await Expect(admin.Locator("[data-testid=people-page][data-interactive=true]")).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync(admin);
        await admin.GetByTestId("people-add").ClickAsync();
        await admin.GetByTestId("add-person-name").FillAsync("Lin Mei");
        await admin.GetByTestId("add-person-email").FillAsync(email);
        await admin.GetByTestId("add-person-submit").ClickAsync();
        await Expect(admin.Locator("[data-testid=person-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("person-status")).ToHaveAttributeAsync("data-status", "invited");

        var link = LinkPattern().Match((await mail.WaitForAsync(email)).TextBody ?? "").Value;
        Assert.StartsWith(KefuServer.MailPublicUrl + "/console/accept-invitation?", link);
        var agent = await NewPageAsync("agent");
        await agent.GotoAsync(new Uri(link).PathAndQuery);
        await agent.GetByTestId("accept-invitation-password").FillAsync(Password);
        await agent.GetByTestId("accept-invitation-repeat").FillAsync(Password);
        await agent.GetByTestId("accept-invitation-submit").ClickAsync();
        await agent.GetByTestId("accept-invitation-sign-in").ClickAsync();
        await agent.GetByTestId("login-email").FillAsync(email);
        await agent.GetByTestId("login-password").FillAsync(Password);
        await agent.GetByTestId("login-submit").ClickAsync();
        await WaitInteractiveAsync(agent);

        // The admin steps away, so the new colleague is the only one who can be offered the visitor.
        await OfferModeWithAdminAwayAsync();
        var visitor = await NewPageAsync("visitor");
        await VisitorSendsAsync(await OpenWidgetAsync(visitor), "Hello, anyone there?");
        await Expect(agent.GetByTestId("offer-banner")).ToBeVisibleAsync();

        await admin.ReloadAsync();
        await Expect(admin.Locator("[data-testid=person-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("person-status")).ToHaveAttributeAsync("data-status", "active");
        await admin.GetByTestId("person-deactivate").ClickAsync();
        await admin.Locator(".rz-dialog-confirm-buttons button").First.ClickAsync();
        await Expect(admin.GetByTestId("person-status")).ToHaveAttributeAsync("data-status", "deactivated");
        // The open console re-checks its session every 10 seconds and falls back to the sign-in page.
        await Expect(agent).ToHaveURLAsync(new Regex("/console/login"), new PageAssertionsToHaveURLOptions { Timeout = 25_000 });
    });

    private async Task OfferModeWithAdminAwayAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = KefuServer.AdminEmail, password = KefuServer.AdminPassword });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        (await http.PutAsJsonAsync("/api/v1/agents/me/presence", new { state = "away" })).EnsureSuccessStatusCode();
        await using var scope = Server.Services.CreateAsyncScope();
        var inbox = await scope.ServiceProvider.GetRequiredService<KefuDbContext>().Inboxes.OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync();
        var routing = await http.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/routing", new { mode = "offer", offerTimeoutSeconds = 120 });
        Assert.True(routing.IsSuccessStatusCode, await routing.Content.ReadAsStringAsync());
    }

    private static async Task AssertNoHorizontalScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "the page scrolls sideways at 1280×800");

    [GeneratedRegex(@"http://\S+/console/accept-invitation\?\S+")]
    private static partial Regex LinkPattern();
}
