using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Attachments;

/// <summary>Files sent from the widget reach the console.</summary>
public sealed class AttachmentTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task VisitorAttachesPng_AgentSeesTheImageInTheConsole() => RunAsync(async () =>
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        var hello = $"截图如下 {marker}";
        await VisitorSendsAsync(widget, hello);
        var item = agent.GetByTestId("conversation-item").Filter(new LocatorFilterOptions { HasText = marker });
        await item.ClickAsync();
        await Expect(ConsoleMessages(agent, hello, "visitor")).ToHaveCountAsync(1);

        await widget.GetByTestId("kefu-attach").SetInputFilesAsync(new FilePayload
        {
            Name = "订单截图.png",
            MimeType = "image/png",
            Buffer = Png.Solid(24, 16, 0xE0, 0x40, 0x40),
        });

        // The widget shows its own image once the server acknowledged it.
        var widgetImage = widget.Locator("[data-testid=kefu-message][data-sender=visitor][data-status=sent][data-seq] img");
        await Expect(widgetImage).ToHaveCountAsync(1);
        await Expect(widgetImage).ToHaveAttributeAsync("alt", "订单截图.png");

        // The agent sees it live as an image that really loads (24 × 16 pixels), not a broken link.
        var consoleImage = agent.Locator("[data-testid=message][data-sender=visitor] img");
        await Expect(consoleImage).ToHaveCountAsync(1);
        await Expect(consoleImage).ToHaveAttributeAsync("alt", "订单截图.png");
        await Expect(consoleImage).ToHaveJSPropertyAsync("naturalWidth", 24, new() { Timeout = 15_000 });
        await Expect(widgetImage).ToHaveJSPropertyAsync("naturalWidth", 24);
        Assert.Equal(
            await widget.Locator("[data-testid=kefu-message][data-sender=visitor][data-seq]").Last.GetAttributeAsync("data-seq"),
            await agent.Locator("[data-testid=message][data-sender=visitor][data-seq]").Last.GetAttributeAsync("data-seq"));
    });
}
