namespace Kefu.BrowserTests.Infrastructure;

/// <summary>
/// One Kefu server and one headless chromium per test class; each test opens its own browser
/// contexts (a visitor, an agent, …), so cookies and localStorage never leak between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>
    /// Debian's chromium package (KEFU_CHROMIUM_PATH overrides it). CI installs it; Playwright's
    /// own browsers are never downloaded.
    /// </summary>
    public static readonly string ChromiumPath =
        Environment.GetEnvironmentVariable("KEFU_CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // Calls (issue 19): a fake camera and microphone, and permission prompts (and the screen picker) answered yes.
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--auto-select-desktop-capture-source=Entire screen",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public KefuServer Server { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Fail, never skip: a browser test that silently does not run proves nothing.
            throw new InvalidOperationException(
                $"Browser tests need Debian's chromium at {ChromiumPath}: install it with `apt-get install -y chromium` " +
                "(do not run `playwright install`).");
        }

        Server = new KefuServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
