using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Voice;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Voice;

/// <summary>
/// Voice messages on chromium's fake microphone (ADR 0039): the admin sets the speech endpoint on the AI settings page,
/// the visitor holds the widget's record button, the recording plays in the widget and the console with its length,
/// the local speech endpoint's words show under it and the bot answers them; Esc cancels a recording and one past the
/// server's limit (5 s in browser tests) is refused with a clear notice.
/// </summary>
public sealed class VoiceBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>The <c>&lt;audio&gt;</c> has loaded the recording's metadata: its bytes decode as audio in the browser.</summary>
    private const string AudioLoaded = "() => { const a = document.querySelector('[data-testid={0}]'); return !!a && a.readyState >= 1 && !a.error; }";

    [Theory]
    [InlineData("en-US")]
    [InlineData("zh-CN")]
    public Task VisitorRecords_ItPlaysInTheConsole_AndTheBotAnswersItsWords(string locale) => RunAsync(async () =>
    {
        await using var speech = await FakeSpeechServer.StartAsync();
        speech.Script = (_, http) => FakeSpeechServer.Words(http, "运费多少钱？");
        await EnableDemoBotAsync();
        var agent = await NewPageAsync("agent", locale);
        await SignInAgentAsync(agent); // an agent is online, so the visitor's 转人工 reaches a person

        // The speech endpoint, through the AI settings page.
        await agent.GotoAsync("/console/settings/ai");
        await Expect(agent.Locator("[data-testid=ai-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        var card = agent.GetByTestId("speech-settings");
        await card.GetByTestId("speech-endpoint").FillAsync(speech.Endpoint);
        await card.GetByTestId("speech-model").FillAsync("whisper-test");
        if (!(await card.GetByTestId("speech-enabled").GetAttributeAsync("class") ?? "").Contains("rz-switch-checked", StringComparison.Ordinal))
        {
            await card.GetByTestId("speech-enabled").ClickAsync(); // on (the other language's run may have turned it on already)
        }

        await card.GetByTestId("speech-save").ClickAsync();
        await Expect(card.GetByTestId("speech-saved")).ToBeVisibleAsync();

        var visitor = await NewPageAsync("visitor", locale);
        var widget = await OpenWidgetAsync(visitor);
        var record = widget.GetByTestId("kefu-record");
        var voices = widget.GetByTestId("kefu-voice-message");

        // Esc while holding: nothing is sent.
        await HoldAsync(visitor, record, async () =>
        {
            await Expect(widget.GetByTestId("kefu-voice-recorder")).ToBeVisibleAsync();
            await visitor.Keyboard.PressAsync("Escape");
            await Expect(widget.GetByTestId("kefu-voice-recorder")).ToBeHiddenAsync();
        });
        await Task.Delay(500); // the recorder's stop event has had its chance to (wrongly) send
        await Expect(voices).ToHaveCountAsync(0);

        // Hold, speak (the fake microphone's tone) past one second, let go: sent, played with its length, transcribed.
        await HoldAsync(visitor, record, async () =>
        {
            await Expect(widget.GetByTestId("kefu-voice-timer")).ToContainTextAsync("0:02");
            if (Environment.GetEnvironmentVariable(Console.ScreenshotTour.Variable) is { Length: > 0 } folder)
            {
                await visitor.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"voice-recorder-{locale[..2]}.png") });
            }
        });
        await Expect(voices).ToHaveCountAsync(1);
        await Expect(voices.GetByTestId("kefu-voice-duration")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0:0[1-4]$"));
        await Expect(voices.GetByTestId("kefu-voice-transcript")).ToHaveTextAsync("运费多少钱？");
        await Expect(voices).ToHaveAttributeAsync("data-transcript", "done");
        await (await WidgetFrameAsync(visitor)).WaitForFunctionAsync(AudioLoaded.Replace("{0}", "kefu-voice-audio", StringComparison.Ordinal));
        // The bot answers the words as if typed: the shipping article.
        await Expect(widget.Locator("[data-testid=kefu-message][data-sender=bot]").Filter(new() { HasText = "99 元包邮" })).ToHaveCountAsync(1);
        var upload = Assert.Single(speech.Requests);
        Assert.Equal("audio/webm", upload.ContentType);
        Assert.True(upload.Audio.Length > 1000, $"{upload.Audio.Length} bytes recorded");

        // Too long for the server's limit: refused with a notice, nothing added.
        if (locale == "en-US")
        {
            await HoldAsync(visitor, record, () => Expect(widget.GetByTestId("kefu-voice-timer")).ToContainTextAsync("0:06", new() { Timeout = 10_000 }));
            await Expect(widget.GetByTestId("kefu-notice")).ToHaveTextAsync("The voice message is too long.");
            await Expect(voices).ToHaveCountAsync(1);
        }

        // A person takes it: the console plays the recording with its length and shows its words.
        await VisitorSendsAsync(widget, "转人工");
        await Expect(widget.Locator("[data-testid=kefu-message][data-sender=bot]").Filter(new() { HasText = "正在为您转接" })).ToHaveCountAsync(1);
        await using (var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync())
        {
            var conversationId = await db.Messages.Where(m => m.AttachmentId != null).OrderByDescending(m => m.CreatedAt).Select(m => m.ConversationId).FirstAsync();
            await agent.GotoAsync($"/console/conversations/{conversationId}");
        }

        var message = agent.GetByTestId("voice-message");
        await Expect(message).ToHaveCountAsync(1);
        await Expect(message.GetByTestId("voice-duration")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0:0[1-4]$"));
        await Expect(message.GetByTestId("voice-transcript")).ToHaveTextAsync("运费多少钱？");
        await agent.WaitForFunctionAsync(AudioLoaded.Replace("{0}", "voice-audio", StringComparison.Ordinal));
        if (Environment.GetEnvironmentVariable(Console.ScreenshotTour.Variable) is { Length: > 0 } shots)
        {
            await agent.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"voice-console-{locale[..2]}.png") });
        }

        AssertNoDialogs();
    });

    /// <summary>Presses the mouse on <paramref name="button"/>, runs <paramref name="whileHeld"/>, and lets go.</summary>
    private static async Task HoldAsync(IPage page, ILocator button, Func<Task> whileHeld)
    {
        await button.HoverAsync();
        await page.Mouse.DownAsync();
        await whileHeld();
        await page.Mouse.UpAsync();
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
