using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Bot;

/// <summary>A visitor asks the bot an FAQ question in Chinese, then asks for a person; the agent sees the hand-off packet.</summary>
public sealed class BotFlowTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ChineseFaqAnswered_Then转人工_AgentSeesConversationWithPacket() => RunAsync(async () =>
    {
        await EnableDemoBotAsync();
        var agent = await NewPageAsync("agent", "zh-CN");
        await SignInAgentAsync(agent); // an agent is online, so the hand-off goes to a person
        var visitor = await NewPageAsync("visitor", "zh-CN");
        var widget = await OpenWidgetAsync(visitor);

        // The FAQ question is answered by the bot, with "did this help?" buttons.
        await VisitorSendsAsync(widget, "运费多少钱？");
        var answer = widget.Locator("[data-testid=kefu-message][data-sender=bot]").Filter(new() { HasText = "99 元包邮" });
        await Expect(answer).ToHaveCountAsync(1);
        await Expect(answer.Locator("[data-testid=kefu-action][data-kind=feedback]")).ToHaveCountAsync(2);

        // 转人工: the bot hands off.
        await VisitorSendsAsync(widget, "转人工");
        await Expect(widget.Locator("[data-testid=kefu-message][data-sender=bot]").Filter(new() { HasText = "正在为您转接人工客服" })).ToHaveCountAsync(1);

        // The agent sees the conversation and, at its top, the packet: reason, the article shown, the transcript.
        var item = agent.GetByTestId("conversation-item").Filter(new() { HasText = "正在为您转接" }); // the preview is the newest message: the bot's
        await Expect(item).ToHaveCountAsync(1);
        await item.ClickAsync();
        var panel = agent.GetByTestId("handoff-panel");
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel.GetByTestId("handoff-reason")).ToHaveAttributeAsync("data-reason", "requested");
        await Expect(panel.GetByTestId("handoff-article")).ToHaveTextAsync("运费怎么算？");
        await Expect(panel.GetByTestId("handoff-sentiment")).ToHaveAttributeAsync("data-angry", "false");
        await panel.GetByTestId("handoff-transcript").Locator("summary").ClickAsync();
        await Expect(panel.GetByTestId("handoff-transcript")).ToContainTextAsync("运费多少钱？");
        await Expect(ConsoleMessages(agent, "转人工", "visitor")).ToHaveCountAsync(1);

        // The admin pages: the demo FAQ in the knowledge base, searchable; the hand-off in the analytics.
        await agent.GetByTestId("nav-knowledge").First.ClickAsync();
        await Expect(agent.Locator("[data-testid=knowledge-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("kb-row")).ToHaveCountAsync(20);
        await agent.GetByTestId("kb-search").FillAsync("运费");
        await Expect(agent.GetByTestId("kb-row")).ToHaveCountAsync(1);
        await agent.GetByTestId("nav-bot").First.ClickAsync();
        await Expect(agent.Locator("[data-testid=bot-reason][data-reason=requested]")).ToContainTextAsync("1");
        AssertNoDialogs();
    });

    /// <summary>Turns the bot on for the demo inbox through the same handler as the admin API, whatever the seed did.</summary>
    private async Task EnableDemoBotAsync()
    {
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        var inbox = await db.Inboxes.OrderBy(i => i.CreatedAt).FirstAsync();
        var admin = await db.Users.Where(u => u.TenantId == inbox.TenantId && u.Role == AgentRole.Admin).FirstAsync();
        var (_, error) = await Server.Services.GetRequiredService<UpdateInboxBot>()
            .HandleAsync(new AgentIdentity(admin.Id, admin.TenantId, admin.DisplayName, admin.Role), inbox.Id, new InboxBotSettings(true), "http://localhost", CancellationToken.None);
        Assert.Null(error);
    }
}
