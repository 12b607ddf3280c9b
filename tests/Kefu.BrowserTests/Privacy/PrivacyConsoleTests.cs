using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Privacy;

/// <summary>An admin erases a contact from the contact panel, and sets an inbox's retention period, in the console.</summary>
public sealed class PrivacyConsoleTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Admin_ErasesAContact_AfterConfirming_AndTheConversationLeavesTheList() => RunAsync(async () =>
    {
        var marker = "erase-me-" + Guid.NewGuid().ToString("N")[..8];
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        await VisitorSendsAsync(widget, marker);

        var item = agent.GetByTestId("conversation-item").Filter(new LocatorFilterOptions { HasText = marker });
        await item.ClickAsync();
        await Expect(agent.GetByTestId("contact-panel")).ToBeVisibleAsync();
        var export = agent.GetByTestId("contact-export");
        await Expect(export).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/api/v1/contacts/[0-9a-f-]{36}/export$"));

        // The first click only asks; cancelling leaves everything in place.
        await agent.GetByTestId("contact-erase").ClickAsync();
        await Expect(agent.GetByTestId("erase-confirm")).ToBeVisibleAsync();
        await agent.GetByTestId("erase-confirm-no").ClickAsync();
        await Expect(agent.GetByTestId("erase-confirm")).ToHaveCountAsync(0);
        await Expect(item).ToHaveCountAsync(1);

        await agent.GetByTestId("contact-erase").ClickAsync();
        await agent.GetByTestId("erase-confirm-yes").ClickAsync();
        await agent.WaitForURLAsync("**/console");
        await Expect(item).ToHaveCountAsync(0);
        AssertNoDialogs();
    });

    [Fact]
    public Task Admin_SetsRetention_SeesAnInvalidValueRefused_AndTheSavedValueStays() => RunAsync(async () =>
    {
        var page = await NewPageAsync("admin");
        await SignInAgentAsync(page);
        await page.GotoAsync("/console/privacy");
        await Expect(page.Locator("[data-testid=retention-page][data-interactive=true]")).ToBeVisibleAsync();
        var row = page.GetByTestId("retention-row").First;

        await row.GetByTestId("retention-days").Locator("input").FillAsync("0");
        await row.GetByTestId("retention-save").ClickAsync();
        await Expect(row.GetByTestId("retention-status")).ToHaveTextAsync("Days must be between 1 and 3650.");

        await row.GetByTestId("retention-days").Locator("input").FillAsync("30");
        await RadzenInputs.ChooseAsync(page, "retention-mode", "anonymise", row);
        await row.GetByTestId("retention-save").ClickAsync();
        await Expect(row.GetByTestId("retention-status")).ToHaveTextAsync("Saved.");

        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid=retention-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("retention-row").First.GetByTestId("retention-days").Locator("input")).ToHaveValueAsync("30");
        await Expect(page.GetByTestId("retention-row").First.GetByTestId("retention-mode")).ToHaveAttributeAsync("data-value", "anonymise");

        // Back to "keep for ever", so other tests sharing this server are not affected.
        await page.GetByTestId("retention-row").First.GetByTestId("retention-days").Locator("input").FillAsync("");
        await page.GetByTestId("retention-row").First.GetByTestId("retention-save").ClickAsync();
        await Expect(page.GetByTestId("retention-row").First.GetByTestId("retention-status")).ToHaveTextAsync("Saved.");
    });
}
