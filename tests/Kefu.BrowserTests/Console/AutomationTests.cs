using System.Net.Http.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Console;

/// <summary>
/// The automation console end to end: an admin writes a rule in Settings → Automation and a visitor's message sets it
/// off; an agent runs a macro from the conversation header and the conversation changes.
/// </summary>
public sealed class AutomationTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Admin_CreatesTagRuleInSettings_VisitorWritesTheWord_TheTagShowsInTheConsole() => RunAsync(async () =>
    {
        await Server.RouteAsync(AssignmentMode.Manual);
        var admin = await NewPageAsync("admin");
        await admin.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/automation");
        await Expect(admin.Locator("[data-testid=automation-page][data-interactive=true]")).ToBeVisibleAsync();

        await admin.GetByTestId("rule-new").ClickAsync();
        var dialog = admin.GetByTestId("rule-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByTestId("rule-name").FillAsync("Refund tagger");
        await dialog.GetByTestId("action-value").FillAsync("refund");
        // A refused save keeps the dialog open, says why beside the field and stores nothing.
        await dialog.GetByTestId("rule-name").FillAsync("");
        await dialog.GetByTestId("rule-save").ClickAsync();
        await Expect(dialog.GetByTestId("field-error-name")).ToBeVisibleAsync();
        Assert.Equal(0, await Server.DbAsync(db => db.AutomationRules.CountAsync()));

        await dialog.GetByTestId("rule-name").FillAsync("Refund tagger");
        await dialog.GetByTestId("condition-add").ClickAsync();
        var condition = dialog.GetByTestId("rule-condition");
        await Expect(condition.GetByTestId("condition-field")).ToHaveAttributeAsync("data-value", "text");
        await condition.GetByTestId("condition-value").FillAsync("refund");
        await dialog.GetByTestId("rule-save").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(admin.Locator("[data-testid=rule-row][data-name='Refund tagger']")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(admin), "the automation page scrolls sideways");

        await VisitorAsync("visitor", "I would like a refund please");
        var conversationId = await Server.LatestConversationAsync();
        // The rule runs on the durable lane after the message is stored: wait for its result (failing if it never comes),
        // then open the conversation as an agent would.
        await Wait.UntilAsync(async () => (await Server.DbAsync(db => db.Contacts.Where(k => db.Conversations.Any(c => c.Id == conversationId && c.ContactId == k.Id))
            .Select(k => k.Tags).SingleAsync()))?.Contains("refund", StringComparison.Ordinal) == true, "the rule tagging the contact");
        await admin.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(admin);
        await Expect(admin.Locator("[data-testid=timeline-event][data-type='automation.applied']")).ToHaveCountAsync(1);
        await Expect(admin.GetByTestId("contact-tags")).ToContainTextAsync("refund");

        await ShotAsync(admin, "automation-conversation-en");
        await LookAsync("en-US");
        await LookAsync("zh-CN");
    });

    [Fact]
    public Task Agent_RunsMacroFromTheConversationHeader_ThePriorityChangesLive() => RunAsync(async () =>
    {
        await Server.RouteAsync(AssignmentMode.Manual);
        using var api = await AdminApiAsync();
        var created = await api.PostAsJsonAsync("/api/v1/macros", new { name = "Escalate <b>now</b>", shared = true, actions = new[] { new { type = "set_priority", value = "urgent" } } });
        created.EnsureSuccessStatusCode();
        await VisitorAsync("visitor", "The app crashes on start");
        var conversationId = await Server.LatestConversationAsync();

        var agent = await NewPageAsync("agent");
        await SignInAgentAsync(agent);
        await agent.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(agent);
        var header = agent.Locator(".conversation-header");
        await Expect(header.GetByTestId("priority")).ToHaveAttributeAsync("data-priority", "normal");

        await agent.GetByTestId("macro-menu").ClickAsync();
        var option = agent.Locator("[data-testid=macro-option][data-name='Escalate <b>now</b>']");
        await Expect(option).ToContainTextAsync("Escalate <b>now</b>"); // a name is text, never markup
        await Expect(option.Locator("b")).ToHaveCountAsync(0);
        await option.ClickAsync();

        await Expect(header.GetByTestId("priority")).ToHaveAttributeAsync("data-priority", "urgent");
        await Expect(agent.Locator(".rz-notification-item")).ToContainTextAsync("Escalate <b>now</b>");
        Assert.Equal(ConversationPriority.Urgent, await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.Priority).SingleAsync()));
        Assert.False(await ScrollsSidewaysAsync(agent), "the conversation view scrolls sideways");
        await ShotAsync(agent, "macro-menu-en");
    });

    /// <summary>The automation page and its rule editor at a laptop's size in one language: nothing scrolls sideways.</summary>
    private async Task LookAsync(string locale)
    {
        var page = await NewPageAsync("look-" + locale, locale);
        await page.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(page);
        await page.GetByTestId("language-" + (locale == "zh-CN" ? "zh-CN" : "en")).ClickAsync();
        await page.GotoAsync("/console/settings/automation");
        await Expect(page.Locator("[data-testid=automation-page][data-interactive=true]")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(page), $"the automation page scrolls sideways in {locale}");
        await page.GetByTestId("rule-edit").ClickAsync();
        await page.GetByTestId("rule-dialog").GetByTestId("action-add").ClickAsync();
        await Expect(page.GetByTestId("automation-action")).ToHaveCountAsync(2);
        Assert.False(await ScrollsSidewaysAsync(page), $"the rule editor scrolls sideways in {locale}");
        await ShotAsync(page, "automation-" + locale);
    }

    /// <summary>A look at the page for a person checking the layout (written only when KEFU_SHOTS names a folder).</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KEFU_SHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
        }
    }
}
