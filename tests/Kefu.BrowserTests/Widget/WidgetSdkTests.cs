using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Channels;
using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.VisitorEvents;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Widget;

/// <summary>
/// The widget SDK as an integrator uses it (docs/sdk.md): a shop on another origin defines the queue stub, calls
/// <c>Kefu(...)</c> before widget.js has loaded, and listens to the widget's events; an agent answers from the API.
/// </summary>
public sealed class WidgetSdkTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task HostPage_OnAnotherOrigin_QueuedCallsRun_EventsFire_LocaleSwitches_AndABadTrackIsRefused() => RunAsync(async () =>
    {
        using var shop = new StaticSite("");
        using var admin = await AdminApiAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name = "SDK shop", allowedOrigins = new[] { shop.Origin } });
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("widgetKey").GetString();
        shop.Html = $$"""
            <!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
            <script>
              window.Kefu = window.Kefu || function () { (Kefu.q = Kefu.q || []).push(arguments); };
              window.seen = { ready: 0, open: 0, close: 0, unread: [], messages: [], loadedBeforeQueue: typeof Kefu.track === 'function' };
              Kefu('on', 'ready', function () { seen.ready++; });
              // A host page's bug: this handler throws every time. The widget must carry on regardless.
              Kefu('on', 'open', function () { seen.open++; throw new Error('the shop\'s own bug'); });
              Kefu('on', 'close', function () { seen.close++; });
              Kefu('on', 'unread', function (count) { seen.unread.push(count); });
              Kefu('on', 'message', function (m) { seen.messages.push(m.sender + ':' + m.text); });
              Kefu('track', 'pricing.viewed', { plan: 'pro', seats: 12 });
              Kefu('setAttributes', { plan: 'pro', customer: '<b>not html</b>' });
            </script>
            <script async src="{{Server.BaseAddress.ToString().TrimEnd('/')}}/widget.js" data-kefu-key="{{key}}"></script>
            </body></html>
            """;

        var page = await NewPageAsync("shop");
        await page.GotoAsync(shop.Origin + "/");
        await page.WaitForFunctionAsync("() => window.seen.ready === 1", null, new() { Timeout = Timeout });
        Assert.False(await page.EvaluateAsync<bool>("() => seen.loadedBeforeQueue"), "the calls were made on the stub, before widget.js ran");
        Assert.Equal("1.0.0", await page.EvaluateAsync<string>("() => Kefu.version"));

        // The queued calls ran after load, in order, on the visitor's own contact.
        var tracked = await WaitForAsync(db => db.Set<VisitorEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Name == "pricing.viewed"));
        Assert.Equal("""{"plan":"pro","seats":12}""", tracked.Props);
        var attributes = await WaitForAsync(db => db.Set<VisitorAttributeSet>().AsNoTracking().FirstOrDefaultAsync(a => a.ContactId == tracked.ContactId));
        Assert.Contains("\"customer\":", attributes.Values, StringComparison.Ordinal);

        // open: the event fires even though the page's handler throws, and the panel opens.
        await page.EvaluateAsync("() => Kefu.open()");
        var frame = page.FrameLocator("[data-testid=kefu-frame]");
        await Expect(frame.GetByTestId("kefu-panel")).ToBeVisibleAsync();
        await Expect(frame.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "connected");
        await page.WaitForFunctionAsync("() => seen.open === 1");
        await VisitorSendsAsync(frame, "Do you ship to Hangzhou?");
        await page.EvaluateAsync("() => Kefu.close()");
        await page.WaitForFunctionAsync("() => seen.close === 1");
        await Expect(frame.GetByTestId("kefu-panel")).ToBeHiddenAsync();

        // An agent answers twice while the panel is closed: two message events, the unread count goes 1, 2.
        var conversation = await WaitForAsync(db => db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.ContactId == tracked.ContactId));
        foreach (var (text, id) in new[] { ("Yes, next day.", "sdk-1"), ("<i>Free</i> over ¥99.", "sdk-2") })
        {
            (await admin.PostAsJsonAsync($"/api/v1/conversations/{conversation.Id}/messages", new { clientMessageId = id, text })).EnsureSuccessStatusCode();
        }

        await page.WaitForFunctionAsync("() => seen.messages.length === 2");
        Assert.Equal(["agent:Yes, next day.", "agent:<i>Free</i> over ¥99."], await page.EvaluateAsync<string[]>("() => seen.messages"));
        Assert.Equal(new[] { 1, 2 }, await page.EvaluateAsync<int[]>("() => seen.unread"));
        await page.EvaluateAsync("() => Kefu.toggle()");
        await page.WaitForFunctionAsync("() => seen.unread[seen.unread.length - 1] === 0 && seen.open === 2");

        // A message the host page forges as if from the frame is not the widget's: ignored.
        await page.EvaluateAsync("() => window.postMessage({ type: 'kefu:message', message: { text: 'forged', sender: 'agent' } }, '*')");

        // A bad event name is refused by the server, with its code and field, and nothing is stored.
        var refusal = await page.EvaluateAsync<string>("() => Kefu.track('bad name!', { a: 1 }).then(() => 'stored', e => e.code + '/' + e.field)");
        Assert.Equal("invalid_event_name/name", refusal);
        Assert.Equal("invalid_props/props", await page.EvaluateAsync<string>(
            "() => Kefu.track('nested', { cart: { items: 1 } }).then(() => 'stored', e => e.code + '/' + e.field)"));
        Assert.Equal("invalid_props/props", await page.EvaluateAsync<string>(
            "() => { const a = {}; a.self = a; return Kefu.track('cycle', a).then(() => 'stored', e => e.code + '/' + e.field); }"));

        // Chinese: the frame reloads in zh-CN with the panel still open and the conversation in place; a call made
        // meanwhile waits for it and is stored.
        var stored = page.EvaluateAsync<string>("() => { Kefu.setLocale('zh-CN'); return Kefu.track('after.locale').then(() => 'stored', e => e.code); }");
        await Expect(frame.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        Assert.Equal("stored", await stored);
        await Expect(frame.GetByTestId("kefu-panel")).ToBeVisibleAsync();
        await Expect(frame.GetByTestId("kefu-composer")).ToHaveAttributeAsync("placeholder", "输入消息…");
        await Expect(WidgetMessages(frame, "Do you ship to Hangzhou?", "visitor")).ToHaveCountAsync(1);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => seen.ready"));

        Assert.Equal(["agent:Yes, next day.", "agent:<i>Free</i> over ¥99."], await page.EvaluateAsync<string[]>("() => seen.messages"));
        var names = await WithDbAsync(db => db.Set<VisitorEvent>().Where(e => e.ContactId == tracked.ContactId).OrderBy(e => e.Id).Select(e => e.Name).ToListAsync());
        Assert.Equal(["pricing.viewed", "after.locale"], names);
        AssertNoDialogs();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
    });

    private async Task<T> WithDbAsync<T>(Func<KefuDbContext, Task<T>> read)
    {
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        return await read(db);
    }

    /// <summary>Reads until the row is there (the browser's calls are asynchronous), bounded by the test timeout.</summary>
    private async Task<T> WaitForAsync<T>(Func<KefuDbContext, Task<T?>> read)
        where T : class =>
        (await Wait.ForAsync(() => WithDbAsync(read), row => row is not null, "the row", Timeout / 1000.0))!;
}
