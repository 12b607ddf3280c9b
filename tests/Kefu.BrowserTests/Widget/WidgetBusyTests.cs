using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Widget;

/// <summary>
/// The server refuses a visitor's message with <c>server_busy</c> (its writer's backlog is full): the widget says why
/// in the visitor's language, keeps the message, and sends it again by itself once the server takes messages again.
/// </summary>
public sealed class WidgetBusyTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Theory]
    [InlineData("en-US", "We are very busy right now. Your message will be sent again in a moment.")]
    [InlineData("zh-CN", "当前咨询人数较多，消息将在稍后自动重新发送。")]
    public Task MessageRefusedAsBusy_ShowsWhy_AndIsStoredOnceWhenTheServerTakesItAgain(string locale, string notice) => RunAsync(async () =>
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var visitor = await NewPageAsync("visitor", locale);
        var widget = await OpenWidgetAsync(visitor);
        await VisitorSendsAsync(widget, $"hello {marker}");
        var limits = Server.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var bound = limits.MaxPendingWrites;
        var text = $"busy {marker}";
        try
        {
            // One browser cannot fill a real backlog of 1,000: the bound is lowered to none while the server runs, so
            // the writer refuses every person's message exactly as when its queue is full.
            limits.MaxPendingWrites = 0;
            await widget.GetByTestId("kefu-composer").FillAsync(text);
            await widget.GetByTestId("kefu-composer").PressAsync("Enter");
            await Expect(widget.GetByTestId("kefu-send-notice")).ToHaveTextAsync(notice);
            await Expect(WidgetMessages(widget, text)).ToHaveAttributeAsync("data-status", "sending");
            Assert.True(await visitor.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        }
        finally
        {
            limits.MaxPendingWrites = bound;
        }

        // Resent by the widget after the server's wait, with the same client id: stored and shown once.
        await Expect(WidgetMessages(widget, text, "visitor").And(widget.Locator("[data-status=sent][data-seq]"))).ToHaveCountAsync(1);
        await Expect(widget.GetByTestId("kefu-send-notice")).ToHaveCountAsync(0);
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.Text == text));
    });
}
