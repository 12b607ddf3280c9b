using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Routing.Contracts;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>
/// An agent who switched alerts on gets a sound and a browser notification for an offer, and a line in the bell. The
/// choices are the account's: they survive a reload and a sign-in from another browser.
/// </summary>
public sealed class OfferAlertTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Offer_Rings_ShowsABrowserNotification_AndLandsInTheBell() => RunAsync(async () =>
    {
        var (_, email) = await Server.CreateAgentAsync("Olive Offer");
        await Server.RouteAsync(AssignmentMode.Offer);
        var agent = await SignInAsAsync("agent", email, before: async page =>
        {
            await page.Context.GrantPermissionsAsync(["notifications"]);
            await page.Context.AddInitScriptAsync(WorkspaceRig.AlertProbe);
        });

        // Browser notifications are off until the agent switches them on (a click, so the browser may ask).
        await agent.GetByTestId("bell-button").ClickAsync();
        await Expect(agent.GetByTestId("pref-sound")).ToHaveClassAsync(new Regex("rz-switch-checked"));
        await Expect(agent.GetByTestId("pref-desktop")).Not.ToHaveClassAsync(new Regex("rz-switch-checked"));
        await agent.GetByTestId("pref-desktop").ClickAsync();
        await Expect(agent.GetByTestId("pref-desktop")).ToHaveClassAsync(new Regex("rz-switch-checked"));
        await agent.GetByTestId("bell-button").ClickAsync();

        await VisitorAsync("visitor", "Can somebody help me with an order?");

        await Expect(agent.GetByTestId("offer-banner")).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await agent.WaitForFunctionAsync("() => window.__kefuNotifications.length > 0 && window.__kefuPlays.length > 0");
        var notifications = await agent.EvaluateAsync<JsonElement>("() => window.__kefuNotifications");
        var shown = Assert.Single(notifications.EnumerateArray());
        Assert.Equal("New chat for you", shown.GetProperty("title").GetString());
        Assert.Matches("^Visitor [0-9A-F]{4} is offered to you$", shown.GetProperty("body").GetString());
        var play = (await agent.EvaluateAsync<JsonElement>("() => window.__kefuPlays")).EnumerateArray().Single();
        Assert.EndsWith("/notify.wav", play.GetProperty("src").GetString(), StringComparison.Ordinal);
        await agent.WaitForFunctionAsync("() => window.__kefuPlays[0].state !== 'called'");
        Assert.Equal("playing", await agent.EvaluateAsync<string>("() => window.__kefuPlays[0].state"));

        // The bell's line opens the conversation; the choices survive a reload.
        await agent.GetByTestId("bell-button").ClickAsync();
        var line = agent.Locator("[data-testid=bell-item][data-kind=offer]");
        await Expect(line).ToHaveCountAsync(1);
        var conversationId = await line.GetAttributeAsync("data-conversation-id");
        await agent.GetByTestId("bell-button").ClickAsync();
        await Expect(agent.GetByTestId("bell-panel")).ToHaveCountAsync(0);
        await agent.GetByTestId("offer-accept").ClickAsync();
        await agent.WaitForURLAsync($"**/console/conversations/{conversationId}");
        await agent.ReloadAsync();
        await WaitInteractiveAsync(agent);
        await agent.GetByTestId("bell-button").ClickAsync();
        await Expect(agent.GetByTestId("pref-desktop")).ToHaveClassAsync(new Regex("rz-switch-checked"));
        await Expect(agent.GetByTestId("pref-sound")).ToHaveClassAsync(new Regex("rz-switch-checked"));

        // Another browser (its own storage, no permission asked yet) shows the account's choices; switching the sound
        // off there is what the first browser finds after a reload.
        var elsewhere = await SignInAsAsync("agent-elsewhere", email);
        await elsewhere.GetByTestId("bell-button").ClickAsync();
        await Expect(elsewhere.GetByTestId("pref-desktop")).ToHaveClassAsync(new Regex("rz-switch-checked"));
        await Expect(elsewhere.GetByTestId("pref-sound")).ToHaveClassAsync(new Regex("rz-switch-checked"));
        await elsewhere.GetByTestId("pref-sound").ClickAsync();
        await Expect(elsewhere.GetByTestId("pref-sound")).Not.ToHaveClassAsync(new Regex("rz-switch-checked"));
        await agent.ReloadAsync();
        await WaitInteractiveAsync(agent);
        await agent.GetByTestId("bell-button").ClickAsync();
        await Expect(agent.GetByTestId("pref-sound")).Not.ToHaveClassAsync(new Regex("rz-switch-checked"));
        await Expect(agent.GetByTestId("pref-desktop")).ToHaveClassAsync(new Regex("rz-switch-checked"));
    });
}
