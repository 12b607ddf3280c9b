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

    [Fact]
    public Task Admin_SwitchesOnAutoResolve_AndSavesASurveyRuleSendingACannedReply_InEnglishAndChinese() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        (await api.PostAsJsonAsync("/api/v1/contact-attributes", new { key = "plan", labelEn = "Plan", labelZh = "套餐", type = "list", options = new[] { "gold", "basic" } })).EnsureSuccessStatusCode();
        var reply = await api.PostAsJsonAsync("/api/v1/canned-replies", new { title = "Sorry", shortcut = "/sorry", scope = "shared", textEn = "Sorry {{contact.name}}", textZh = "{{contact.name}}，抱歉" });
        reply.EnsureSuccessStatusCode();
        var replyId = (await reply.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();

        var admin = await NewPageAsync("admin");
        await admin.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/automation");
        await Expect(admin.Locator("[data-testid=automation-page][data-interactive=true]")).ToBeVisibleAsync();

        // The built-in rule: switched on with 4 hours; it is saved as an idle rule and shows in the list.
        var preset = admin.GetByTestId("autoresolve-section");
        await preset.GetByTestId("autoresolve-enabled").ClickAsync();
        await preset.Locator("[data-testid=autoresolve-hours] input").FillAsync("4");
        await preset.GetByTestId("autoresolve-save").ClickAsync();
        await Wait.UntilAsync(() => Server.DbAsync(db => db.AutomationRules.AnyAsync(r => r.Trigger == "idle" && r.IdleMinutes == 240 && r.Enabled)), "the preset saved as an idle rule");
        // The list shows the workspace's rules: the preset's beside any the class's other test saved on this server.
        var rules = await Server.DbAsync(db => db.AutomationRules.CountAsync(r => r.TenantId == db.AutomationRules.Where(p => p.Trigger == "idle" && p.IdleMinutes == 240).Select(p => p.TenantId).First()));
        await Expect(admin.GetByTestId("rule-row")).ToHaveCountAsync(rules);

        // A survey rule: low score → send the canned reply.
        await admin.GetByTestId("rule-new").ClickAsync();
        var dialog = admin.GetByTestId("rule-dialog");
        await dialog.GetByTestId("rule-name").FillAsync("Low score apology");
        await dialog.GetByTestId("rule-trigger").ClickAsync();
        await admin.Locator("[data-testid=rule-trigger-option][data-value=survey_answered]").ClickAsync();
        await dialog.GetByTestId("condition-add").ClickAsync();
        var condition = dialog.GetByTestId("rule-condition");
        await condition.GetByTestId("condition-field").ClickAsync();
        await admin.Locator("[data-testid=condition-field-option][data-value=score]").ClickAsync();
        await condition.GetByTestId("condition-operator").ClickAsync();
        await admin.Locator("[data-testid=condition-operator-option][data-value=at_most]").ClickAsync();
        await condition.GetByTestId("condition-value").FillAsync("2");
        var action = dialog.GetByTestId("automation-action");
        await action.GetByTestId("action-type").ClickAsync();
        await admin.Locator("[data-testid=action-type-option][data-value=send_canned_reply]").ClickAsync();
        await action.GetByTestId("action-value").ClickAsync();
        await admin.Locator($"[data-testid=action-value-option][data-value='{replyId}']").ClickAsync();
        await dialog.GetByTestId("rule-save").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Wait.UntilAsync(() => Server.DbAsync(db => db.AutomationRules.AnyAsync(r => r.Trigger == "survey_answered" && r.Actions.Contains(replyId!))), "the survey rule saved");

        await EditorLookAsync("en-US");
        await EditorLookAsync("zh-CN");
    });

    /// <summary>The page with the preset, and a rule editor showing an attribute condition and the new actions, in one language at 1280×800.</summary>
    private async Task EditorLookAsync(string locale)
    {
        var page = await NewPageAsync("editor-" + locale, locale);
        await page.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(page);
        await page.GetByTestId("language-" + (locale == "zh-CN" ? "zh-CN" : "en")).ClickAsync();
        await page.GotoAsync("/console/settings/automation");
        await Expect(page.Locator("[data-testid=automation-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("autoresolve-section")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(page), $"the automation page scrolls sideways in {locale}");
        await ShotAsync(page, "kefu-auto-page-" + locale);
        await page.Locator("[data-testid=rule-row][data-name='Low score apology']").Locator("xpath=ancestor::tr").GetByTestId("rule-edit").ClickAsync();
        var dialog = page.GetByTestId("rule-dialog");
        await dialog.GetByTestId("condition-add").ClickAsync();
        var attribute = dialog.GetByTestId("rule-condition").Nth(1);
        await attribute.GetByTestId("condition-field").ClickAsync();
        // Each row's dropdown keeps its own list in the page: click the option in the list just opened (the last shown).
        await page.Locator("[data-testid=condition-field-option][data-value=attribute]").Filter(new() { Visible = true }).Last.ClickAsync();
        await Expect(attribute.GetByTestId("condition-key")).ToBeVisibleAsync();
        await dialog.GetByTestId("action-add").ClickAsync();
        var webhook = dialog.GetByTestId("automation-action").Nth(1);
        await webhook.GetByTestId("action-type").ClickAsync();
        await page.Locator("[data-testid=action-type-option][data-value=send_webhook]").Filter(new() { Visible = true }).Last.ClickAsync();
        Assert.False(await ScrollsSidewaysAsync(page), $"the rule editor scrolls sideways in {locale}");
        await ShotAsync(page, "kefu-auto-editor-" + locale);
    }

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
