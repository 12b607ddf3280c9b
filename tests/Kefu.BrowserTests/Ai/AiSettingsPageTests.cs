using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.Server.Features.Ai;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Ai;

/// <summary>
/// Settings → LLM assistant: a refused endpoint says why beside the field and stores nothing; a saved key is never
/// shown again; the test button reports an endpoint nobody answers at; the page in both languages at a laptop's size.
/// </summary>
public sealed class AiSettingsPageTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Admin_SavesTheLlmSettings_AndTestsThem() => RunAsync(async () =>
    {
        var admin = await NewPageAsync("admin");
        await admin.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/ai");
        await Expect(admin.Locator("[data-testid=ai-settings-page][data-interactive=true]")).ToBeVisibleAsync();

        await admin.GetByTestId("ai-endpoint").FillAsync("file:///etc/passwd");
        await admin.GetByTestId("ai-model").FillAsync("qwen2.5:7b");
        await admin.GetByTestId("ai-save").ClickAsync();
        await Expect(admin.GetByTestId("field-error-endpoint")).ToBeVisibleAsync();
        Assert.Equal(0, await Server.DbAsync(db => db.Set<AiSettings>().CountAsync()));

        // Port 9 (discard) on loopback: nothing answers, so the test button has something to report.
        await admin.GetByTestId("ai-endpoint").FillAsync("http://127.0.0.1:9/v1");
        await admin.GetByTestId("ai-api-key").FillAsync("sk-browser-secret");
        await admin.GetByTestId("ai-save").ClickAsync();
        await Expect(admin.GetByTestId("ai-saved")).ToBeVisibleAsync();
        await admin.GetByTestId("ai-test").ClickAsync();
        await Expect(admin.GetByTestId("ai-test-result")).ToHaveAttributeAsync("data-outcome", "failed");

        await admin.ReloadAsync();
        await Expect(admin.Locator("[data-testid=ai-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("ai-endpoint")).ToHaveValueAsync("http://127.0.0.1:9/v1");
        Assert.DoesNotContain("sk-browser-secret", await admin.ContentAsync(), StringComparison.Ordinal);

        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            var page = await NewPageAsync("look-" + locale, locale);
            await page.SetViewportSizeAsync(1280, 800);
            await SignInAgentAsync(page);
            await page.GetByTestId("language-" + (locale == "zh-CN" ? "zh-CN" : "en")).ClickAsync();
            await page.GotoAsync("/console/settings/ai");
            await Expect(page.Locator("[data-testid=ai-settings-page][data-interactive=true]")).ToBeVisibleAsync();
            await page.GetByTestId("ai-test").ClickAsync();
            await Expect(page.GetByTestId("ai-test-result")).ToBeVisibleAsync();
            Assert.False(await ScrollsSidewaysAsync(page), $"the LLM settings page scrolls sideways in {locale}");
            if (Environment.GetEnvironmentVariable("KEFU_SHOTS") is { Length: > 0 } folder)
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "ai-settings-" + locale + ".png") });
            }
        }
    });
}
