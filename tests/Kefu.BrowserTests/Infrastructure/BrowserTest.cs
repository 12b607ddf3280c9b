using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Infrastructure;

/// <summary>
/// Base class of every browser test: opens browser contexts on the class's server, signs agents
/// in, opens the widget, and keeps screenshots of every open page when a test fails.
/// </summary>
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>Every Playwright wait and expectation is bounded by this.</summary>
    public const int Timeout = 15_000;

    private readonly List<(string Name, IBrowserContext Context)> _contexts = [];

    static BrowserTest() => SetDefaultExpectTimeout(Timeout);

    protected BrowserFixture Fixture => fixture;

    protected KefuServer Server => fixture.Server;

    protected ITestOutputHelper Output => output;

    /// <summary>Every dialog (alert, confirm, prompt) any page opened: a script ran that should not have.</summary>
    protected List<string> Dialogs { get; } = [];

    /// <summary>A fresh browser context (own cookies and storage) with one page on the Kefu server.</summary>
    protected async Task<IPage> NewPageAsync(string name, string locale = "en-US")
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            Locale = locale,
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        _contexts.Add((name, context));
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) =>
        {
            lock (Dialogs)
            {
                Dialogs.Add($"{name}: {dialog.Type} \"{dialog.Message}\"");
            }

            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) => Log($"[{name}] page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Log($"[{name}] HTTP {response.Status} {response.Request.Method} {response.Url}");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Log($"[{name}] console {message.Type}: {message.Text}");
            }
        };
        return page;
    }

    /// <summary>Signs the seeded admin in and waits until the Blazor circuit is attached.</summary>
    protected Task SignInAgentAsync(IPage page) => SignInAsync(page, KefuServer.AdminEmail, KefuServer.AdminPassword);

    /// <summary>Signs someone in through the console's sign-in form and waits until the Blazor circuit is attached.</summary>
    protected static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/console/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await WaitInteractiveAsync(page);
    }

    /// <summary>An HTTP client of the REST API holding the seeded admin's bearer token (to set up what a test needs).</summary>
    protected async Task<HttpClient> AdminApiAsync()
    {
        var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = KefuServer.AdminEmail, password = KefuServer.AdminPassword });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (await token.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString());
        return http;
    }

    /// <summary>The console is prerendered: clicks before the circuit attaches are lost, so wait for it.</summary>
    protected static Task WaitInteractiveAsync(IPage page) =>
        Expect(page.Locator("[data-testid=console][data-interactive=true]")).ToBeVisibleAsync();

    /// <summary>Opens the demo shop, opens the chat and waits for the hub connection.</summary>
    protected static async Task<IFrameLocator> OpenWidgetAsync(IPage page)
    {
        await page.GotoAsync("/");
        var frame = page.FrameLocator("[data-testid=kefu-frame]");
        await frame.GetByTestId("kefu-launcher").ClickAsync();
        await Expect(frame.GetByTestId("kefu-panel")).ToBeVisibleAsync();
        await Expect(frame.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "connected");
        return frame;
    }

    /// <summary>The widget iframe as a frame (for evaluating script inside it).</summary>
    protected static async Task<IFrame> WidgetFrameAsync(IPage page)
    {
        var handle = await page.Locator("[data-testid=kefu-frame]").ElementHandleAsync();
        return await handle.ContentFrameAsync() ?? throw new InvalidOperationException("The widget iframe has no frame.");
    }

    /// <summary>Messages in the widget whose whole text is exactly <paramref name="text"/>.</summary>
    protected static ILocator WidgetMessages(IFrameLocator frame, string text, string? sender = null) =>
        frame.Locator(sender is null ? "[data-testid=kefu-message]" : $"[data-testid=kefu-message][data-sender={sender}]")
            .Filter(new LocatorFilterOptions { Has = frame.Locator("[data-testid=kefu-message-text]", new FrameLocatorLocatorOptions { HasTextRegex = Exactly(text) }) });

    /// <summary>Messages in the console's open conversation whose whole text is exactly <paramref name="text"/>.</summary>
    protected static ILocator ConsoleMessages(IPage page, string text, string? sender = null) =>
        page.Locator(sender is null ? "[data-testid=message]" : $"[data-testid=message][data-sender={sender}]")
            .Filter(new LocatorFilterOptions { Has = page.Locator("[data-testid=message-text]", new PageLocatorOptions { HasTextRegex = Exactly(text) }) });

    /// <summary>Types into the widget, sends with Enter, and waits until the server acknowledged it (a Seq).</summary>
    protected static async Task<long> VisitorSendsAsync(IFrameLocator frame, string text)
    {
        await frame.GetByTestId("kefu-composer").FillAsync(text);
        await frame.GetByTestId("kefu-composer").PressAsync("Enter");
        var sent = WidgetMessages(frame, text, "visitor").And(frame.Locator("[data-status=sent][data-seq]"));
        await Expect(sent).ToHaveCountAsync(1);
        await Expect(frame.GetByTestId("kefu-composer")).ToHaveValueAsync("");
        return long.Parse(await sent.GetAttributeAsync("data-seq") ?? "", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Types into the console composer, clicks send, and waits until the message is committed.</summary>
    protected static async Task<long> AgentSendsAsync(IPage page, string text)
    {
        await page.GetByTestId("composer").FillAsync(text);
        await page.GetByTestId("send").ClickAsync();
        var sent = ConsoleMessages(page, text, "agent").And(page.Locator("[data-status=sent][data-seq]"));
        await Expect(sent).ToHaveCountAsync(1);
        return long.Parse(await sent.GetAttributeAsync("data-seq") ?? "", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Watches the widget's message list and records every data-status each message text showed,
    /// in order, so a state that lasts only milliseconds ("sending") is still seen.
    /// </summary>
    protected static async Task<Func<Task<Dictionary<string, string[]>>>> RecordStatusesAsync(IPage visitor)
    {
        var frame = await WidgetFrameAsync(visitor);
        await frame.EvaluateAsync("""
            () => {
              const seen = window.__kefuStatuses = {};
              const record = () => {
                for (const li of document.querySelectorAll('[data-testid=kefu-message][data-sender=visitor], [data-testid=kefu-message]:not([data-sender])')) {
                  const text = li.querySelector('[data-testid=kefu-message-text]')?.textContent ?? '';
                  const list = seen[text] ??= [];
                  if (list[list.length - 1] !== li.dataset.status) list.push(li.dataset.status);
                }
              };
              new MutationObserver(record).observe(document.querySelector('[data-testid=kefu-message-list]'),
                { childList: true, subtree: true, attributes: true, attributeFilter: ['data-status'] });
            }
            """);
        return async () => await frame.EvaluateAsync<Dictionary<string, string[]>>("() => window.__kefuStatuses");
    }

    protected void AssertNoDialogs()
    {
        lock (Dialogs)
        {
            Assert.True(Dialogs.Count == 0, "A dialog opened, so injected script ran: " + string.Join("; ", Dialogs));
        }
    }

    /// <summary>Runs a test body; on failure saves a screenshot of every open page next to the test assembly.</summary>
    protected async Task RunAsync(Func<Task> body, [CallerMemberName] string test = "")
    {
        try
        {
            await body();
        }
        catch
        {
            await ScreenshotAllAsync(test);
            throw;
        }
    }

    private async Task ScreenshotAllAsync(string test)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (name, context) in _contexts)
        {
            var index = 0;
            foreach (var page in context.Pages)
            {
                var file = Path.Combine(folder, $"{test}-{name}-{index++}.png");
                try
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Timeout = 5_000 });
                    Log($"screenshot: {file}");
                }
                catch (PlaywrightException e)
                {
                    Log($"screenshot of {name} failed: {e.Message}");
                }
            }
        }
    }

    protected void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // an event after the test finished: no output to write to any more
        }
    }

    private static Regex Exactly(string text) => new("^" + Regex.Escape(text) + "$");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (_, context) in _contexts)
        {
            await context.CloseAsync();
        }
    }
}
