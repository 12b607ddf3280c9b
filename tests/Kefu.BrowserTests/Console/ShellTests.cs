using System.Net.Http.Json;
using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Console;

/// <summary>
/// The console's app shell: navigation by permission, no horizontal scroll at 1280×800 in either language, and a
/// language switch that the account remembers across browsers.
/// </summary>
public sealed class ShellTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Theory]
    [InlineData("en-US", "Settings", "Sign out")]
    [InlineData("zh-CN", "设置", "退出登录")]
    public Task Admin_SeesEveryArea_WithoutHorizontalScroll(string locale, string settings, string signOut) => RunAsync(async () =>
    {
        var page = await NewPageAsync("admin-" + locale, locale);
        await SignInAgentAsync(page);
        await Expect(page.GetByTestId("sign-out")).ToContainTextAsync(signOut);
        await Expect(page.GetByTestId("nav-settings")).ToContainTextAsync(settings);
        foreach (var id in new[] { "nav-inboxes", "nav-people", "nav-teams", "nav-roles", "nav-sso", "nav-privacy", "nav-audit", "nav-knowledge", "nav-bot" })
        {
            await Expect(page.GetByTestId(id)).ToBeVisibleAsync();
        }

        await AssertNoHorizontalScrollAsync(page);
        await page.GotoAsync("/console/settings");
        await Expect(page.GetByTestId("settings-inboxes")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("settings-audit")).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync(page);
        AssertNoDialogs();
    });

    [Fact]
    public Task Agent_SeesNoAdminNavigation_AndTheLanguageFollowsTheAccount() => RunAsync(async () =>
    {
        var email = $"agent-{Guid.NewGuid():N}@browser.test";
        using (var api = await AdminApiAsync())
        {
            (await api.PostAsJsonAsync("/api/v1/agents", new { email, displayName = "Lin Agent", password = KefuServer.AdminPassword })).EnsureSuccessStatusCode();
        }

        var first = await NewPageAsync("agent-first", "en-US");
        await SignInAsync(first, email, KefuServer.AdminPassword);
        await Expect(first.GetByTestId("nav-conversations")).ToBeVisibleAsync();
        await Expect(first.GetByTestId("nav-settings")).ToHaveCountAsync(0);
        await Expect(first.GetByTestId("nav-audit")).ToHaveCountAsync(0);
        await first.GotoAsync("/console/settings");
        await Expect(first.GetByTestId("empty-state")).ToContainTextAsync("No settings for your role");

        // The switch reloads the page in Chinese and stays on it.
        await first.GetByTestId("language-zh-CN").ClickAsync();
        await first.WaitForURLAsync("**/console/settings");
        await Expect(first.GetByTestId("empty-state")).ToContainTextAsync("您的角色没有可管理的设置");
        await Expect(first.GetByTestId("language-zh-CN")).ToHaveAttributeAsync("aria-pressed", "true");

        // Another browser, which asks for English: the account's choice wins at sign-in.
        var second = await NewPageAsync("agent-second", "en-US");
        await SignInAsync(second, email, KefuServer.AdminPassword);
        await Expect(second.GetByTestId("sign-out")).ToContainTextAsync("退出登录");
        await second.GetByTestId("language-en").ClickAsync();
        await Expect(second.GetByTestId("sign-out")).ToContainTextAsync("Sign out");
        AssertNoDialogs();
    });

    private static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px at 1280×800.");
    }
}
