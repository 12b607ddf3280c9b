using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Channels;

/// <summary>
/// From a fresh server: the admin sets the offline form in the inbox's Forms tab (a refusal lands beside the intro), the
/// inbox is closed for a holiday, a visitor on the demo shop meets the form instead of a chat and leaves a message, and
/// an agent finds it in Unassigned marked "Offline message" with the e-mail in the contact panel.
/// </summary>
public sealed class OfflineFormTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string NoHorizontalScroll = "document.documentElement.scrollWidth <= document.documentElement.clientWidth";

    [Fact]
    public Task OutsideHours_TheVisitorLeavesAMessage_AndTheAgentSeesItMarked_WithTheEmail() => RunAsync(async () =>
    {
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        var inboxId = await OpenFormsTabAsync(admin);
        using var api = await AdminApiAsync();

        // A too-long intro is refused beside the intro, and nothing is stored.
        await admin.GetByTestId("offline-intro").FillAsync(new string('x', 501));
        await admin.GetByTestId("offline-save").ClickAsync();
        await Expect(admin.GetByTestId("field-error-offlineIntro")).ToHaveTextAsync("The intro has at most 500 characters.");
        Assert.Equal(JsonValueKind.Null, (await OfflineAsync(api, inboxId)).GetProperty("intro").ValueKind);

        await admin.GetByTestId("offline-intro").FillAsync("Closed for the holiday. <b>Leave us a note</b>");
        await admin.GetByTestId("offline-save").ClickAsync();
        await Expect(admin.GetByText("Saved.")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("field-error-offlineIntro")).ToHaveCountAsync(0);
        Assert.Equal("Closed for the holiday. <b>Leave us a note</b>", (await OfflineAsync(api, inboxId)).GetProperty("intro").GetString());
        Assert.True(await admin.EvaluateAsync<bool>(NoHorizontalScroll), "no horizontal scroll on the Forms tab");

        // Closed today and tomorrow (UTC): whatever the hour, the inbox is outside its opening hours.
        var today = DateTime.UtcNow.Date;
        (await api.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/routing", new
        {
            mode = "manual", businessHours = "sun-sat 00:00-24:00", holidays = $"{today:yyyy-MM-dd} {today.AddDays(1):yyyy-MM-dd}",
        })).EnsureSuccessStatusCode();

        // A visitor on a phone-wide page meets the form, with the inbox's intro as text, not markup.
        var visitor = await NewPageAsync("visitor");
        await visitor.SetViewportSizeAsync(360, 740);
        var widget = await OpenWidgetAsync(visitor);
        await Expect(widget.GetByTestId("kefu-offline")).ToBeVisibleAsync();
        await Expect(widget.GetByTestId("kefu-offline-intro")).ToHaveTextAsync("Closed for the holiday. <b>Leave us a note</b>");
        await Expect(widget.GetByTestId("kefu-composer")).ToBeHiddenAsync();
        Assert.True(await (await WidgetFrameAsync(visitor)).EvaluateAsync<bool>(NoHorizontalScroll), "no horizontal scroll in the widget at 360px");
        await Expect(widget.GetByTestId("kefu-offline-submit")).ToBeInViewportAsync();

        var marker = Guid.NewGuid().ToString("N")[..8];
        await widget.GetByTestId("kefu-offline-name").FillAsync("Ann Lee");
        await widget.GetByTestId("kefu-offline-email").FillAsync("ann@localhost");
        await widget.GetByTestId("kefu-offline-message").FillAsync($"Please call me back {marker}");
        await widget.GetByTestId("kefu-offline-submit").ClickAsync();
        await Expect(widget.GetByTestId("kefu-offline-email-error")).ToHaveTextAsync("Please enter a valid e-mail address, such as name@example.com.");

        await widget.GetByTestId("kefu-offline-email").FillAsync("ann.lee@example.com");
        await widget.GetByTestId("kefu-offline-submit").ClickAsync();
        await Expect(widget.GetByTestId("kefu-offline-done")).ToHaveTextAsync("Thanks! We'll reply to ann.lee@example.com.");
        await Expect(widget.GetByTestId("kefu-offline")).ToHaveCountAsync(0);
        await Expect(WidgetMessages(widget, $"Please call me back {marker}", "visitor")).ToHaveCountAsync(1); // the history stays
        await Expect(widget.GetByTestId("kefu-composer")).ToBeVisibleAsync();
        await Expect(widget.GetByTestId("kefu-queue")).ToBeHiddenAsync(); // no "we will answer here" beside "we'll reply to …"

        // The agent finds it in Unassigned, marked, and the contact panel shows where to answer.
        await admin.GotoAsync("/console");
        await WaitInteractiveAsync(admin);
        await admin.GetByTestId("view-unassigned").ClickAsync();
        var item = admin.GetByTestId("conversation-item").Filter(new() { HasText = marker });
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item.GetByTestId("conversation-offline-chip")).ToHaveTextAsync("Offline message");
        await item.ClickAsync();
        await Expect(admin.GetByTestId("contact-email")).ToHaveTextAsync("ann.lee@example.com");
        await Expect(admin.GetByTestId("contact-name")).ToHaveTextAsync("Ann Lee");
        await Expect(ConsoleMessages(admin, $"Please call me back {marker}", "visitor")).ToHaveCountAsync(1);
        Assert.True(await admin.EvaluateAsync<bool>(NoHorizontalScroll), "no horizontal scroll in the workspace");

        // The Forms tab in Chinese keeps its layout at 1280×800 (no CJK font here: layout only).
        var chinese = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(chinese);
        await chinese.GotoAsync($"/console/settings/inboxes/{inboxId}");
        await Expect(chinese.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await chinese.GetByTestId("inbox-tab-forms").ClickAsync();
        await Expect(chinese.GetByTestId("offline-card")).ToBeVisibleAsync();
        Assert.True(await chinese.EvaluateAsync<bool>(NoHorizontalScroll), "no horizontal scroll on the Forms tab in Chinese");
        await ScreenshotAsync(chinese, "offline-card-zh.png");
        var visitorZh = await NewPageAsync("visitor-zh", "zh-CN");
        var widgetZh = await OpenWidgetAsync(visitorZh);
        await Expect(widgetZh.GetByTestId("kefu-offline")).ToBeVisibleAsync();
        Assert.True(await (await WidgetFrameAsync(visitorZh)).EvaluateAsync<bool>(NoHorizontalScroll), "no horizontal scroll in the Chinese widget");
        await ScreenshotAsync(visitorZh, "offline-widget-zh.png");
        await ScreenshotAsync(visitor, "offline-widget-360.png");
        await ScreenshotAsync(admin, "offline-workspace-en.png");
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
        await Expect(admin.GetByTestId("offline-card")).ToBeVisibleAsync();
        return inboxId;
    }

    private static Task<JsonElement> OfflineAsync(HttpClient api, string inboxId) => api.GetFromJsonAsync<JsonElement>($"/api/v1/inboxes/{inboxId}/offline");

    /// <summary>Throwaway screenshots for a look at the layout, taken only when KEFU_SCREENSHOTS names a folder.</summary>
    private static async Task ScreenshotAsync(IPage page, string file)
    {
        if (Environment.GetEnvironmentVariable("KEFU_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, file), FullPage = true });
        }
    }
}
