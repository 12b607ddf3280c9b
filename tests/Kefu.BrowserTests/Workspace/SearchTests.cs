using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>The header's search box finds a Chinese word inside a visitor's sentence and opens the conversation at that message.</summary>
public sealed class SearchTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task ChineseSearch_FindsAWordInTheMiddleOfASentence_AndOpensTheConversationAtIt() => RunAsync(async () =>
    {
        var unique = new string([.. Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26)))]);
        var sentence = $"我上周买的鞋子{unique}想申请<b>退款</b>因为尺码不对";
        var widget = await VisitorAsync("visitor", "你好，在吗？");
        var seq = await VisitorSendsAsync(widget, sentence);
        for (var i = 0; i < 25; i++)
        {
            await VisitorSendsAsync(widget, $"后面的第{i}条消息"); // enough below it that opening at the end would hide it
        }

        var conversationId = await Server.LatestConversationAsync();
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await WaitInteractiveAsync(admin);

        // Messages are indexed on the durable lane: search again until it is there.
        var result = admin.Locator($"[data-testid=search-result][data-conversation-id='{conversationId}']");
        for (var attempt = 0; attempt < 50 && await result.CountAsync() == 0; attempt++)
        {
            await admin.GetByTestId("header-search-input").FillAsync($"退款 {unique}");
            await admin.GetByTestId("header-search-input").PressAsync("Enter");
            await Expect(admin.GetByTestId("search-page")).ToHaveAttributeAsync("data-interactive", "true");
            await admin.WaitForURLAsync(new Regex("/console/search\\?q="));
            await Expect(admin.Locator("[data-testid=search-results], .empty-state").First).ToBeVisibleAsync();
        }

        await Expect(result).ToHaveCountAsync(1);
        await Expect(result.GetByTestId("search-match")).ToHaveTextAsync([unique, "退款"]);
        await Expect(result.GetByTestId("search-snippet")).ToContainTextAsync("<b>退款</b>"); // stored text shown as text
        Assert.True(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scroll");

        await result.GetByTestId("search-result-link").ClickAsync();
        await admin.WaitForURLAsync($"**/console/conversations/{conversationId}?seq={seq}");
        var focused = admin.Locator($"[data-testid=message][data-seq='{seq}']");
        await Expect(focused).ToHaveClassAsync(new Regex("search-focus"));
        await Expect(focused).ToBeInViewportAsync();
        await Expect(ConsoleMessages(admin, "后面的第24条消息")).Not.ToBeInViewportAsync();

        // The same page in Chinese keeps its layout (no CJK font here: boxes, but the boxes must fit).
        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync("/console/search?q=" + Uri.EscapeDataString("退款 " + unique));
        await Expect(zh.Locator($"[data-testid=search-result][data-conversation-id='{conversationId}']")).ToHaveCountAsync(1);
        Assert.True(await zh.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scroll (zh)");
        if (Environment.GetEnvironmentVariable("KEFU_SHOTS") is { Length: > 0 } folder)
        {
            await admin.GoBackAsync();
            await admin.ScreenshotAsync(new() { Path = Path.Combine(folder, "search-en.png") });
            await zh.ScreenshotAsync(new() { Path = Path.Combine(folder, "search-zh.png") });
        }
    });
}
