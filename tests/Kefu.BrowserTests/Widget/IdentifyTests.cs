using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Channels;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Routing;
using Kefu.Server.Features.Contacts;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Widget;

/// <summary>
/// <c>Kefu.identify</c> as a shop uses it (docs/sdk.md): its server signs the signed-in customer's id with the inbox's
/// identity secret; the same customer on a second device (another browser context, its own storage) gets their history
/// back; a wrong hash is refused and that visitor sees nothing of it.
/// </summary>
public sealed class IdentifyTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AValidHash_RestoresTheHistoryInASecondBrowser_AWrongHashIsRefused() => RunAsync(async () =>
    {
        using var shop = new StaticSite("");
        using var admin = await AdminApiAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name = "Identify shop", allowedOrigins = new[] { shop.Origin } });
        created.EnsureSuccessStatusCode();
        var inbox = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secretResponse = await admin.PostAsync($"/api/v1/inboxes/{inbox.GetProperty("id").GetGuid()}/identity-verification/secret", null);
        secretResponse.EnsureSuccessStatusCode();
        var secret = (await secretResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        shop.Html = $$"""
            <!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
            <script>window.Kefu = window.Kefu || function () { (Kefu.q = Kefu.q || []).push(arguments); };</script>
            <script async src="{{Server.BaseAddress.ToString().TrimEnd('/')}}/widget.js" data-kefu-key="{{inbox.GetProperty("widgetKey").GetString()}}"></script>
            </body></html>
            """;
        var customer = "customer-" + Guid.NewGuid().ToString("N")[..8];
        var hash = IdentitySignature.Compute(secret, customer);
        const string Identify = "([id, hash]) => Kefu.identify({ id, name: 'Wang Fang', hash }).then(r => 'verified:' + r.verified, e => e.code + '/' + e.field)";

        // The laptop: the customer writes, then the shop tells the widget who they are.
        var laptop = await NewPageAsync("laptop");
        await laptop.GotoAsync(shop.Origin + "/");
        await laptop.EvaluateAsync("() => new Promise(r => Kefu.on('ready', r))");
        await laptop.EvaluateAsync("() => Kefu.open()");
        var laptopFrame = laptop.FrameLocator("[data-testid=kefu-frame]");
        await Expect(laptopFrame.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "connected");
        await VisitorSendsAsync(laptopFrame, "Where is order 1001?");
        Assert.Equal("verified:true", await laptop.EvaluateAsync<string>(Identify, new[] { customer, hash }));

        // The phone: another browser, nothing stored. Signed in with the same signed id, it shows the laptop's conversation.
        var phone = await NewPageAsync("phone");
        await phone.GotoAsync(shop.Origin + "/");
        await phone.EvaluateAsync("() => new Promise(r => Kefu.on('ready', r))");
        Assert.Equal("verified:true", await phone.EvaluateAsync<string>(Identify, new[] { customer, hash }));
        await phone.EvaluateAsync("() => Kefu.open()");
        var phoneFrame = phone.FrameLocator("[data-testid=kefu-frame]");
        await Expect(phoneFrame.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(WidgetMessages(phoneFrame, "Where is order 1001?", "visitor")).ToHaveCountAsync(1);

        // A third browser with a forged hash: refused with the code and field, and it sees none of the customer's history.
        var stranger = await NewPageAsync("stranger");
        await stranger.GotoAsync(shop.Origin + "/");
        await stranger.EvaluateAsync("() => new Promise(r => Kefu.on('ready', r))");
        Assert.Equal("identity_hash_invalid/hash", await stranger.EvaluateAsync<string>(Identify, new[] { customer, new string('0', 64) }));
        await stranger.EvaluateAsync("() => Kefu.open()");
        var strangerFrame = stranger.FrameLocator("[data-testid=kefu-frame]");
        await Expect(strangerFrame.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(strangerFrame.GetByTestId("kefu-composer")).ToBeVisibleAsync();
        await Expect(WidgetMessages(strangerFrame, "Where is order 1001?")).ToHaveCountAsync(0);
        await RoutingSettingsPageTests.AssertNoHorizontalScrollAsync(phone);
        AssertNoDialogs();
    });
}
