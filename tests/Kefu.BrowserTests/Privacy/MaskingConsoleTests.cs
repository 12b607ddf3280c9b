using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Privacy;

/// <summary>A visitor types a mobile number; both sides see it masked, and an admin shows and hides the original in the console.</summary>
public sealed class MaskingConsoleTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task MaskedMessage_ShowsMaskedEverywhere_AndTheAdminCanRevealItForAWhile() => RunAsync(async () =>
    {
        var marker = Guid.NewGuid().ToString("N")[..6];
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);

        // Shown as typed while sending; once stored, the widget shows the stored (masked) form.
        await widget.GetByTestId("kefu-composer").FillAsync($"订单{marker} 我的手机号是13800138000");
        await widget.GetByTestId("kefu-composer").PressAsync("Enter");
        var masked = $"订单{marker} 我的手机号是138****8000";
        await Expect(WidgetMessages(widget, masked, "visitor").And(widget.Locator("[data-status=sent][data-seq]"))).ToHaveCountAsync(1);

        var item = agent.GetByTestId("conversation-item").Filter(new LocatorFilterOptions { HasText = marker });
        await item.ClickAsync();
        await Expect(ConsoleMessages(agent, masked, "visitor")).ToHaveCountAsync(1);
        var seq = await ConsoleMessages(agent, masked, "visitor").GetAttributeAsync("data-seq");
        var message = agent.Locator($"[data-testid=message][data-seq='{seq}']"); // by Seq: its text changes below

        await message.GetByTestId("unmask").ClickAsync();

        await Expect(message.GetByTestId("message-text")).ToHaveTextAsync($"订单{marker} 我的手机号是13800138000");
        await Expect(message.GetByTestId("message-text")).ToHaveAttributeAsync("data-revealed", "true");

        await message.GetByTestId("unmask").ClickAsync();

        await Expect(message.GetByTestId("message-text")).ToHaveTextAsync(masked);
        AssertNoDialogs();
    });
}
