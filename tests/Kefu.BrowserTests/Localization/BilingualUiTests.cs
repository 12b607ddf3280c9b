using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Localization;

/// <summary>The widget and the console speak the browser's language: Simplified Chinese or English.</summary>
public sealed class BilingualUiTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Theory]
    [InlineData("zh-CN", "输入消息…", "发送", "您好！请问有什么可以帮您？", "登录 Kefu")]
    [InlineData("en-US", "Write a message…", "Send", "Hi! How can we help you today?", "Sign in to Kefu")]
    public Task WidgetAndConsoleLogin_FollowTheBrowserLanguage(string locale, string placeholder, string send, string greeting, string signIn) => RunAsync(async () =>
    {
        var page = await NewPageAsync(locale, locale);
        var widget = await OpenWidgetAsync(page);
        await Expect(widget.GetByTestId("kefu-composer")).ToHaveAttributeAsync("placeholder", placeholder);
        await Expect(widget.GetByTestId("kefu-send")).ToHaveTextAsync(send);
        await Expect(widget.GetByTestId("kefu-greeting")).ToHaveTextAsync(greeting);
        await Expect(widget.Locator("html")).ToHaveAttributeAsync("lang", locale == "zh-CN" ? "zh-CN" : "en");

        await page.GotoAsync("/console/login");
        await Expect(page.Locator("h1")).ToHaveTextAsync(signIn);
        await Expect(page.GetByTestId("login-submit")).ToHaveTextAsync(locale == "zh-CN" ? "登录" : "Sign in");
    });

    [Fact]
    public Task ConsoleAfterSignIn_InChinese_ShowsChineseTexts() => RunAsync(async () =>
    {
        var agent = await NewPageAsync("agent", "zh-CN");
        await SignInAgentAsync(agent);
        await Expect(agent.GetByTestId("sign-out")).ToContainTextAsync("退出登录");
    });
}
