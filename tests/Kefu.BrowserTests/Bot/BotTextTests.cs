using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Bot;

/// <summary>
/// What the bot writes, as people see it: bold in answers renders bold (as text, no gap in Chinese) in the widget
/// and the console, and the hand-off panel lists only clear intents, in words.
/// </summary>
public sealed class BotTextTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task BoldAnswer_RendersBold_AndThePanelNamesTheClearIntentInWords() => RunAsync(async () =>
    {
        await using (var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync())
        {
            // The bot on for the demo inbox, through the same handler as the admin API.
            var inbox = await db.Inboxes.OrderBy(i => i.CreatedAt).FirstAsync();
            var admin = await db.Users.Where(u => u.TenantId == inbox.TenantId && u.Role == AgentRole.Admin).FirstAsync();
            var (_, error) = await Server.Services.GetRequiredService<UpdateInboxBot>()
                .HandleAsync(new AgentIdentity(admin.Id, admin.TenantId, admin.DisplayName, admin.Role), inbox.Id, new InboxBotSettings(true), "http://localhost", CancellationToken.None);
            Assert.Null(error);
        }

        var agent = await NewPageAsync("agent", "zh-CN");
        await SignInAgentAsync(agent);
        var visitor = await NewPageAsync("visitor", "zh-CN");
        var widget = await OpenWidgetAsync(visitor);

        // "登录后进入 **我的订单**，点击…": bold, no asterisks, no gap before or after the bold run.
        await VisitorSendsAsync(widget, "我的订单到哪里了？");
        var answer = widget.Locator("[data-testid=kefu-message][data-sender=bot] [data-testid=kefu-message-text]").Filter(new() { HasText = "点击订单" });
        await Expect(answer.Locator("strong")).ToHaveTextAsync("我的订单");
        Assert.StartsWith("登录后进入我的订单，点击订单", await answer.TextContentAsync());

        // A question between two articles gets choices; the visitor asks for a person: one clear intent goes along.
        await VisitorSendsAsync(widget, "退货退款");
        var choices = widget.Locator("[data-testid=kefu-message][data-sender=bot]").Nth(1);
        await choices.Locator("[data-testid=kefu-action][data-kind=handoff]").ClickAsync();
        await Expect(widget.Locator("[data-testid=kefu-message][data-sender=bot]")).ToHaveCountAsync(3);

        var item = agent.GetByTestId("conversation-item").First;
        await Expect(item).ToBeVisibleAsync();
        await item.ClickAsync();
        var console = agent.Locator("[data-testid=message][data-sender=bot] [data-testid=message-text]").Filter(new() { HasText = "点击订单" });
        await Expect(console.Locator("strong")).ToHaveTextAsync("我的订单");
        var panel = agent.GetByTestId("handoff-panel");
        await Expect(panel.GetByTestId("handoff-reason")).ToHaveAttributeAsync("data-reason", "requested");
        var intent = panel.GetByTestId("handoff-intent");
        await Expect(intent).ToHaveCountAsync(1);
        await Expect(intent).ToHaveAttributeAsync("data-confidence", "medium");
        await Expect(panel.GetByTestId("handoff-intents")).Not.ToContainTextAsync("%");
        await agent.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-handoff-zh.png") });
        Assert.True(await agent.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        AssertNoDialogs();
    });
}
