using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Console;

/// <summary>
/// The admin pages built from Radzen components fit a laptop and a desktop screen in both languages: no page scrolls
/// sideways, and each page's own content is there (not only the shell).
/// </summary>
public sealed class AdminPagesLayoutTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly (string Path, string Ready)[] Pages =
    [
        ("/console/knowledge", "knowledge-page"),
        ("/console/knowledge/new", "knowledge-edit-page"),
        ("/console/bot", "bot-analytics-page"),
        ("/console/audit", "audit-page"),
        ("/console/privacy", "retention-page"),
        ("/console/settings/sso", "sso-settings-page"),
        ("/console/account", "account-page"),
    ];

    [Theory]
    [InlineData("en-US", 1280, 800)]
    [InlineData("zh-CN", 1280, 800)]
    [InlineData("en-US", 1920, 1080)]
    [InlineData("zh-CN", 1920, 1080)]
    public Task AdminPages_HaveNoHorizontalScroll(string locale, int width, int height) => RunAsync(async () =>
    {
        var page = await NewPageAsync($"admin-{locale}-{width}", locale);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/console/login");
        await AssertFitsAsync(page, width);
        await SignInAgentAsync(page);
        await page.GetByTestId("language-" + (locale == "zh-CN" ? "zh-CN" : "en")).ClickAsync();
        foreach (var (path, ready) in Pages)
        {
            await page.GotoAsync(path);
            await Expect(page.Locator($"[data-testid={ready}][data-interactive=true]")).ToBeVisibleAsync();
            await Expect(page.Locator("h1")).ToHaveCountAsync(1);
            await AssertFitsAsync(page, width);
        }

        AssertNoDialogs();
    });

    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px at {width}px.");
    }
}
