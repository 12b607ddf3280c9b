using System.Net.Http.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Bot.Flows;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Bot;

/// <summary>
/// Bot flows in the browser: an admin builds a two-step flow in the console's editor (a refused save shown on its step,
/// then fixed) and runs it in the test chat beside the graph, publishes it; a visitor runs the Chinese order-status flow
/// from the widget against Kefu's demo order API and is handed off with the order number.
/// </summary>
public sealed class FlowEditorTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task TwoStepFlow_BuiltInTheEditor_RunsInTheTestChat_AndIsPublished() => RunAsync(async () =>
    {
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GetByTestId("nav-flows").First.ClickAsync();
        await Expect(admin.Locator("[data-testid=flows-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByTestId("flow-new-name").FillAsync("Ask the name");
        await admin.GetByTestId("flow-new-name").PressAsync("Tab");
        await admin.GetByTestId("flow-new").ClickAsync();

        // A new flow is a greeting and an end: two boxes, one arrow.
        var editor = admin.Locator("[data-testid=flow-editor][data-interactive=true]");
        await Expect(editor).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("flow-node")).ToHaveCountAsync(2);
        await Expect(admin.Locator("[data-testid=flow-edge][data-from=hello][data-to=bye]")).ToHaveCountAsync(1);

        // The first step becomes a question (a slot) without its text: the server refuses it, on that step.
        await admin.Locator("[data-testid=flow-node][data-step=hello]").ClickAsync();
        await RadzenInputs.ChooseAsync(admin, "step-type", "slot");
        await admin.GetByTestId("step-text").FillAsync("");
        await admin.GetByTestId("step-text").PressAsync("Tab");
        await admin.GetByTestId("step-variable").FillAsync("name");
        await admin.GetByTestId("step-variable").PressAsync("Tab");
        await admin.GetByTestId("flow-save").ClickAsync();
        await Expect(admin.GetByTestId("flow-error")).ToHaveAttributeAsync("data-step", "hello");
        await Expect(admin.Locator("[data-testid=flow-node][data-step=hello]")).ToHaveAttributeAsync("data-error", "true");
        await Expect(admin.GetByTestId("step-error")).ToBeVisibleAsync();

        // Fixed: the question, and the end thanks by name.
        await admin.GetByTestId("step-text").FillAsync("What is your name?");
        await admin.GetByTestId("step-text").PressAsync("Tab");
        await admin.Locator("[data-testid=flow-node][data-step=bye]").ClickAsync();
        await Expect(admin.Locator("[data-testid=step-form][data-step=bye]")).ToBeVisibleAsync();
        await admin.GetByTestId("step-text").FillAsync("Thanks, {{name}}!");
        await admin.GetByTestId("step-text").PressAsync("Tab");
        await admin.GetByTestId("flow-save").ClickAsync();
        await Expect(admin.GetByTestId("flow-notice")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("flow-error")).ToHaveCountAsync(0);
        await Expect(admin.Locator("[data-testid=flow-node][data-step=hello]")).ToHaveAttributeAsync("data-type", "slot");

        // The test chat beside the graph runs the saved draft.
        await admin.GetByTestId("flow-test-start").ClickAsync();
        await Expect(admin.Locator("[data-testid=flow-test-message][data-from=bot]")).ToHaveTextAsync(["What is your name?"]);
        await admin.GetByTestId("flow-test-input").FillAsync("Ada");
        await admin.GetByTestId("flow-test-send").ClickAsync();
        await Expect(admin.Locator("[data-testid=flow-test-message][data-from=bot]")).ToHaveTextAsync(["What is your name?", "Thanks, Ada!"]);
        await Expect(admin.GetByTestId("flow-test")).ToHaveAttributeAsync("data-finished", "end");
        await Expect(admin.GetByTestId("flow-test-trace")).ToContainTextAsync("bye"); // the steps of the last turn

        // Publish: version 1 goes to every new conversation.
        await admin.GetByTestId("flow-publish").ClickAsync();
        await Expect(admin.Locator("[data-testid=flow-version][data-version='1']")).ToHaveAttributeAsync("data-share", "100");
        Assert.True(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scroll (en)");
        await ShotAsync(admin, "editor-en");

        // The same editor in Chinese, with the test chat run again.
        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync(admin.Url);
        await Expect(zh.Locator("[data-testid=flow-editor][data-interactive=true]")).ToBeVisibleAsync();
        await zh.GetByTestId("flow-test-start").ClickAsync();
        await zh.GetByTestId("flow-test-input").FillAsync("小明");
        await zh.GetByTestId("flow-test-send").ClickAsync();
        await Expect(zh.GetByTestId("flow-test")).ToHaveAttributeAsync("data-finished", "end");
        await zh.Locator("[data-testid=flow-node][data-step=hello]").ClickAsync();
        Assert.True(await zh.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scroll (zh)");
        await ShotAsync(zh, "editor-zh");
        AssertNoDialogs();
    });

    [Fact]
    public Task OrderStatusFlow_InChinese_FromTheWidget_LooksUpTheDemoOrder_AndHandsOffWithTheNumber() => RunAsync(async () =>
    {
        await EnableDemoBotAsync();
        // The demo's Chinese order flow, against this server's own demo order API (allowed although it is loopback).
        using var api = await AdminApiAsync();
        var origin = Server.BaseAddress.ToString().TrimEnd('/');
        (await api.PutAsJsonAsync("/api/v1/bot/flow-settings", new FlowSettingsRequest(origin, [$"{Server.BaseAddress.Host}:{Server.BaseAddress.Port}"]))).EnsureSuccessStatusCode();
        var created = await api.PostAsJsonAsync("/api/v1/bot/flows", new FlowRequest("查订单", DemoFlows.Zh, ["订单到哪"], []));
        created.EnsureSuccessStatusCode();
        var flow = (await created.Content.ReadFromJsonAsync<FlowDto>())!;
        (await api.PostAsync($"/api/v1/bot/flows/{flow.Id}/publish", null)).EnsureSuccessStatusCode();

        var visitor = await NewPageAsync("visitor", "zh-CN");
        var widget = await OpenWidgetAsync(visitor);
        await VisitorSendsAsync(widget, "我的订单到哪了？");
        await Expect(WidgetMessages(widget, "请告诉我您的订单号（6 到 12 位数字）。", "bot")).ToHaveCountAsync(1);
        await VisitorSendsAsync(widget, "不记得了");
        await Expect(WidgetMessages(widget, "订单号是 6 到 12 位数字，例如 20261234。", "bot")).ToHaveCountAsync(1);
        await VisitorSendsAsync(widget, "20261234");
        var status = widget.Locator("[data-testid=kefu-message][data-sender=bot]").Filter(new() { HasText = "订单 20261234 的状态：已签收" });
        await Expect(status).ToHaveCountAsync(1);
        await Expect(status).ToContainTextAsync("JD000020261234");

        var change = widget.Locator("[data-testid=kefu-action]").Filter(new() { HasText = "修改收货地址" });
        await change.ClickAsync();
        await Expect(widget.Locator("[data-testid=kefu-message][data-sender=bot]").Filter(new() { HasText = "我已把订单号一并转给客服" })).ToHaveCountAsync(1);

        // The run ended with the hand-off and the order number is in the packet.
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        var run = await db.BotFlowRuns.SingleAsync(r => r.FlowId == flow.Id);
        Assert.False(run.Active);
        var packet = await db.HandoffPackets.SingleAsync(p => p.ConversationId == run.ConversationId);
        Assert.Contains("\"order_number\":\"20261234\"", packet.Data, StringComparison.Ordinal);
        AssertNoDialogs();
    });

    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KEFU_SHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"kefu-flows-{name}.png") });
        }
    }

    /// <summary>Turns the bot on for the demo inbox through the same handler as the admin API.</summary>
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
