using System.Security.Cryptography;
using System.Text;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Webhooks;
using Kefu.Server.Features.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Console;

/// <summary>
/// Settings → Webhooks end to end: an admin creates a webhook (a refused address first), copies the secret shown once,
/// a visitor's message is delivered signed to a real receiver, the log shows it and replays it, and a webhook Kefu
/// pauses rings the admin's bell.
/// </summary>
public sealed class WebhooksPageTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Admin_CreatesWebhook_CopiesTheSecretOnce_DeliveryIsLoggedAndReplayed_PausedOneRingsTheBell() => RunAsync(async () =>
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await NewPageAsync("admin");
        await admin.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/webhooks");
        await Expect(admin.Locator("[data-testid=webhooks-page][data-interactive=true]")).ToBeVisibleAsync();

        await admin.GetByTestId("webhook-new").ClickAsync();
        var dialog = admin.GetByTestId("webhook-dialog");
        await dialog.GetByTestId("webhook-url").FillAsync($"http://127.0.0.2:{receiver.Port}/hook");
        await dialog.GetByTestId("webhook-description").FillAsync("<b>CRM</b>");
        await dialog.GetByTestId("webhook-events").GetByText("(conversation.created)").ClickAsync();
        await dialog.GetByTestId("webhook-save").ClickAsync();
        await Expect(dialog.GetByTestId("field-error-url")).ToBeVisibleAsync();
        Assert.Equal(0, await Server.DbAsync(db => db.WebhookSubscriptions.CountAsync()));

        await dialog.GetByTestId("webhook-url").FillAsync(receiver.Url());
        await dialog.GetByTestId("webhook-save").ClickAsync();
        var secretDialog = admin.GetByTestId("webhook-secret-dialog");
        await Expect(secretDialog).ToBeVisibleAsync();
        var secret = (await secretDialog.GetByTestId("webhook-secret").TextContentAsync())!.Trim();
        Assert.StartsWith("whsec_", secret);
        await secretDialog.GetByTestId("webhook-secret-done").ClickAsync();
        await Expect(secretDialog).ToBeHiddenAsync();
        var row = admin.GetByTestId("webhook-row");
        await Expect(row).ToHaveTextAsync(receiver.Url());
        await Expect(admin.GetByTestId("webhooks-grid")).ToContainTextAsync("<b>CRM</b>"); // text, never markup
        Assert.DoesNotContain(secret, await admin.ContentAsync());

        await VisitorAsync("visitor", "hello from the shop");
        var received = await receiver.NextAsync();
        var signed = Encoding.UTF8.GetBytes(received.Headers["Kefu-Timestamp"] + "." + received.Body);
        Assert.Equal("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)), received.Headers["Kefu-Signature"]);

        await admin.GetByTestId("webhook-log").ClickAsync();
        var delivered = admin.Locator("[data-testid=delivery-row][data-status=succeeded]");
        await Wait.UntilAsync(async () =>
        {
            await admin.GetByTestId("webhook-refresh").ClickAsync();
            return await delivered.CountAsync() == 1;
        }, "the log showing the delivery");
        await admin.GetByTestId("delivery-details").ClickAsync();
        await Expect(admin.GetByTestId("delivery-request")).ToContainTextAsync(received.Headers["Kefu-Event-Id"]);
        await Expect(admin.GetByTestId("delivery-answer")).ToHaveTextAsync("thanks");
        await admin.Keyboard.PressAsync("Escape");
        await Expect(admin.GetByTestId("webhook-delivery-dialog")).ToBeHiddenAsync();

        await admin.GetByTestId("delivery-replay").ClickAsync();
        Assert.Equal(received.Headers["Kefu-Event-Id"], (await receiver.NextAsync()).Headers["Kefu-Event-Id"]);
        Assert.False(await ScrollsSidewaysAsync(admin), "the webhooks page scrolls sideways");

        // Kefu pausing a failing webhook rings the admin's bell at once, wherever they are, with a line that opens the page.
        await admin.GotoAsync("/console/settings");
        await Expect(admin.Locator("[data-testid=notification-bell][data-loaded=true]")).ToBeVisibleAsync();
        var id = await Server.DbAsync(db => db.WebhookSubscriptions.Select(s => s.Id).SingleAsync());
        await Server.DbAsync(db => db.WebhookSubscriptions.ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WebhookStatus.PausedFailing)));
        await Server.Services.GetRequiredService<WebhookPausedAlert>().RaiseAsync(id, CancellationToken.None);
        await admin.GetByTestId("bell-button").ClickAsync();
        var line = admin.Locator("[data-testid=bell-item][data-kind=webhook_paused]");
        await Expect(line).ToContainTextAsync(receiver.Url());
        await line.ClickAsync();
        await Expect(admin.Locator("[data-testid=webhook-status][data-status=PausedFailing]")).ToBeVisibleAsync();

        await LookAsync("en-US");
        await LookAsync("zh-CN");
    });

    /// <summary>The page and the editor at a laptop's size in one language: nothing scrolls sideways.</summary>
    private async Task LookAsync(string locale)
    {
        var page = await NewPageAsync("look-" + locale, locale);
        await page.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(page);
        await page.GetByTestId("language-" + (locale == "zh-CN" ? "zh-CN" : "en")).ClickAsync();
        await page.GotoAsync("/console/settings/webhooks");
        await Expect(page.Locator("[data-testid=webhooks-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("webhook-log").ClickAsync();
        await Expect(page.GetByTestId("webhook-deliveries")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(page), $"the webhooks page scrolls sideways in {locale}");
        await ShotAsync(page, "webhooks-" + locale);
        await page.GetByTestId("webhook-edit").ClickAsync();
        await Expect(page.GetByTestId("webhook-dialog")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(page), $"the webhook editor scrolls sideways in {locale}");
        await ShotAsync(page, "webhook-editor-" + locale);
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KEFU_SHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
        }
    }
}
