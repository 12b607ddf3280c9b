using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Channels;

/// <summary>
/// From a fresh server: the admin sets the demo inbox's forms in the console's Forms tab, and a visitor on the demo shop
/// meets them in the widget.
/// </summary>
public sealed class InboxFormsTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string NoHorizontalScroll = "document.documentElement.scrollWidth <= document.documentElement.clientWidth";

    [Fact]
    public Task Admin_TurnsOnThePreChatForm_VisitorAnswersIt_AndTheAgentSeesTheConversationAndEmail() => RunAsync(async () =>
    {
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        var inboxId = await OpenFormsTabAsync(admin);

        // Asking for a department without any department is refused beside the departments, and nothing is stored.
        await admin.GetByTestId("prechat-enabled").ClickAsync();
        await admin.GetByTestId("prechat-mode-email").GetByText("Required").ClickAsync();
        await admin.GetByTestId("prechat-mode-department").GetByText("Required").ClickAsync();
        await admin.GetByTestId("prechat-save").ClickAsync();
        await Expect(admin.GetByTestId("field-error-preChatDepartments")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("field-error-preChatDepartments")).ToContainTextAsync("Each department needs a name");
        using var api = await AdminApiAsync();
        Assert.False((await PreChatAsync(api, inboxId)).GetProperty("enabled").GetBoolean());

        // A department with a malformed skill is refused beside the skills; corrected, the form saves.
        await admin.GetByTestId("prechat-department-add").ClickAsync();
        await admin.GetByTestId("prechat-department-label").FillAsync("Billing");
        await admin.GetByTestId("prechat-department-labelzh").FillAsync("账单");
        await admin.GetByTestId("prechat-department-skills").FillAsync("billing:11");
        await admin.GetByTestId("prechat-save").ClickAsync();
        await Expect(admin.GetByTestId("field-error-preChatDepartmentSkills")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("field-error-preChatDepartments")).ToHaveCountAsync(0);
        Assert.False((await PreChatAsync(api, inboxId)).GetProperty("enabled").GetBoolean());

        await admin.GetByTestId("prechat-department-skills").FillAsync("billing");
        await admin.GetByTestId("prechat-label-email").FillAsync("Work e-mail");
        await admin.GetByTestId("prechat-save").ClickAsync();
        await Expect(admin.GetByText("Saved.")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("field-error-preChatDepartmentSkills")).ToHaveCountAsync(0);
        var stored = await PreChatAsync(api, inboxId);
        Assert.True(stored.GetProperty("enabled").GetBoolean());
        Assert.Equal("required", stored.GetProperty("email").GetProperty("mode").GetString());
        Assert.Equal("Work e-mail", stored.GetProperty("email").GetProperty("label").GetString());
        Assert.Equal("billing", stored.GetProperty("departments")[0].GetProperty("skills").GetString());
        Assert.True(await admin.EvaluateAsync<bool>(NoHorizontalScroll), "no horizontal scroll on the Forms tab");
        await ScreenshotAsync(admin, "forms-en.png");

        // The visitor gets the form; an invalid e-mail is refused in the widget, a valid one lets them chat.
        var visitor = await NewPageAsync("visitor");
        var widget = await OpenWidgetAsync(visitor);
        await Expect(widget.GetByTestId("kefu-prechat")).ToBeVisibleAsync();
        await Expect(widget.Locator("label[for=kefu-prechat-email]")).ToHaveTextAsync("Work e-mail");
        await widget.GetByTestId("kefu-prechat-email").FillAsync("ann@localhost");
        await widget.GetByTestId("kefu-prechat-department").SelectOptionAsync("0");
        await widget.GetByTestId("kefu-prechat-submit").ClickAsync();
        await Expect(widget.GetByTestId("kefu-prechat-email-error")).ToHaveTextAsync("Please enter a valid e-mail address, such as name@example.com.");
        await Expect(widget.GetByTestId("kefu-prechat")).ToBeVisibleAsync();

        await widget.GetByTestId("kefu-prechat-email").FillAsync("ann.lee@example.com");
        await widget.GetByTestId("kefu-prechat-submit").ClickAsync();
        await Expect(widget.GetByTestId("kefu-prechat")).ToHaveCountAsync(0);
        var marker = Guid.NewGuid().ToString("N")[..8];
        await VisitorSendsAsync(widget, $"Question about invoice {marker}");

        // The agent's console lists the conversation, and its contact panel shows the e-mail the visitor gave.
        await admin.GotoAsync("/console");
        await WaitInteractiveAsync(admin);
        var item = admin.GetByTestId("conversation-item").Filter(new() { HasText = marker });
        await Expect(item).ToHaveCountAsync(1);
        await item.ClickAsync();
        await Expect(admin.GetByTestId("contact-panel")).ToContainTextAsync("ann.lee@example.com");

        // The tab in Chinese keeps its layout at 1280×800 (the machine has no CJK font: layout only).
        var chinese = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(chinese);
        await chinese.GotoAsync($"/console/settings/inboxes/{inboxId}");
        await Expect(chinese.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await chinese.GetByTestId("inbox-tab-forms").ClickAsync();
        await Expect(chinese.GetByTestId("prechat-card")).ToBeVisibleAsync();
        Assert.True(await chinese.EvaluateAsync<bool>(NoHorizontalScroll), "no horizontal scroll on the Forms tab in Chinese");
        await ScreenshotAsync(chinese, "forms-zh.png");
    });

    /// <summary>Opens the demo inbox's settings on the Forms tab; returns the inbox's id.</summary>
    private static async Task<string> OpenFormsTabAsync(IPage admin)
    {
        await admin.GotoAsync("/console/settings/inboxes");
        await Expect(admin.Locator("[data-testid=inboxes-page][data-interactive=true]")).ToBeVisibleAsync();
        var row = admin.GetByTestId("inbox-row").First;
        var inboxId = await row.GetAttributeAsync("data-inbox-id") ?? throw new InvalidOperationException("no inbox id");
        await row.ClickAsync();
        await Expect(admin.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByTestId("inbox-tab-forms").ClickAsync();
        await Expect(admin.GetByTestId("prechat-card")).ToBeVisibleAsync();
        return inboxId;
    }

    private static async Task<JsonElement> PreChatAsync(HttpClient api, string inboxId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/inboxes/{inboxId}")).GetProperty("preChat");

    /// <summary>Throwaway screenshots for a look at the layout, taken only when KEFU_SCREENSHOTS names a folder.</summary>
    private static async Task ScreenshotAsync(IPage page, string file)
    {
        if (Environment.GetEnvironmentVariable("KEFU_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, file), FullPage = true });
        }
    }
}
