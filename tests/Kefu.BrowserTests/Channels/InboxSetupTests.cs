using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Channels;

/// <summary>
/// From a fresh server, as a new customer would: an admin creates an inbox in the console, allows their website, styles
/// the widget; a page on that site opens the widget and chats with the agent, a page on a third site is refused.
/// </summary>
public sealed class InboxSetupTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Admin_CreatesAnInbox_AllowsASite_AndThatSiteChats_WhileAnotherSiteIsRefused() => RunAsync(async () =>
    {
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        using var shop = new StaticSite(""); // its origin must be known before the page's HTML (the snippet) is

        // Create the inbox; a bad origin is refused next to its field and nothing is created.
        await admin.GotoAsync("/console/settings/inboxes");
        await Expect(admin.Locator("[data-testid=inboxes-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByTestId("inbox-new").First.ClickAsync();
        await admin.GetByTestId("inbox-create-name").FillAsync("Corner shop");
        await admin.GetByTestId("inbox-create-origins").FillAsync("https://shop.example.com/checkout");
        await admin.GetByTestId("inbox-create-submit").ClickAsync();
        await Expect(admin.Locator("[data-testid=field-error-allowedOrigins]")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("inbox-row")).ToHaveCountAsync(1); // only the demo inbox

        await admin.GetByTestId("inbox-create-origins").FillAsync(shop.Origin.ToUpperInvariant() + "/");
        await admin.GetByTestId("inbox-create-submit").ClickAsync();
        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/settings/inboxes/[0-9a-f-]{36}$"));
        await Expect(admin.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("inbox-origins")).ToHaveValueAsync(shop.Origin); // normalised
        var snippet = await admin.GetByTestId("inbox-snippet").InnerTextAsync();
        Assert.Contains($"src=\"{Server.BaseAddress.ToString().TrimEnd('/')}/widget.js\"", snippet, StringComparison.Ordinal);

        // Appearance: colour, corner and launcher text, shown in the live preview before saving.
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Appearance" }).ClickAsync();
        await admin.GetByTestId("appearance-color").FillAsync("#1f6feb");
        await admin.GetByTestId("appearance-launcher").FillAsync("Chat with us");
        await admin.GetByTestId("appearance-position").GetByText("Bottom left").ClickAsync();
        await Expect(admin.GetByTestId("appearance-preview")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("position=left"));
        var preview = admin.FrameLocator("[data-testid=appearance-preview]");
        await Expect(preview.GetByTestId("kefu-launcher-text")).ToHaveTextAsync("Chat with us");
        Assert.True(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scroll with the preview");
        await admin.GetByTestId("appearance-save").ClickAsync();
        await Expect(admin.GetByText("Saved.")).ToBeVisibleAsync();

        // The customer's site embeds the snippet and chats.
        shop.Html = $"<!doctype html><html><body><h1>Corner shop</h1>{snippet}</body></html>";
        var visitor = await NewPageAsync("visitor");
        await visitor.GotoAsync(shop.Origin + "/");
        var frame = visitor.FrameLocator("[data-testid=kefu-frame]");
        var launcher = frame.GetByTestId("kefu-launcher");
        await Expect(frame.GetByTestId("kefu-launcher-text")).ToHaveTextAsync("Chat with us");
        Assert.Equal("rgb(31, 111, 235)", await launcher.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        var box = await visitor.GetByTestId("kefu-frame").BoundingBoxAsync();
        Assert.True(box!.X < 100, $"the widget sits bottom left (x = {box.X})");
        await launcher.ClickAsync();
        await VisitorSendsAsync(frame, "Hello from the corner shop");

        await admin.GotoAsync("/console");
        await WaitInteractiveAsync(admin);
        await Expect(admin.GetByTestId("conversation-item").Filter(new() { HasText = "Hello from the corner shop" })).ToHaveCountAsync(1);

        // A third site with the same snippet is refused: the frame may not be embedded there.
        using var other = new StaticSite(shop.Html);
        var stranger = await NewPageAsync("stranger");
        var refused = stranger.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("frame-ancestors", StringComparison.Ordinal), Timeout = Timeout });
        await stranger.GotoAsync(other.Origin + "/");
        await refused;
        await Expect(stranger.FrameLocator("[data-testid=kefu-frame]").GetByTestId("kefu-launcher")).ToHaveCountAsync(0);
    });
}
