using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kefu.BrowserTests.Infrastructure;

/// <summary>
/// A real Kefu server on a real Kestrel port (loopback, random port) with its own temporary data
/// folder, started once per test class. Browsers load the demo page, the widget and the console
/// from it, so everything is same-origin with Kefu.
/// </summary>
public sealed class KefuServer : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@browser.test";
    public const string AdminPassword = "Browser-Test-Pass-42!";

    /// <summary>Where links in mail point (<c>Kefu:Mail:PublicUrl</c>); tests open their path on <see cref="BaseAddress"/>.</summary>
    public const string MailPublicUrl = "http://kefu.browser.test";

    public KefuServer()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "kefu-browser-tests", Guid.NewGuid().ToString("N"));
        MailPort = FreePort();
        TurnPort = FreePort();
        UseKestrel(0);
        StartServer();
    }

    public string DataDirectory { get; }

    /// <summary>coturn's shared secret for the TURN credentials the server hands out (<c>Kefu:Calls:TurnSecret</c>).</summary>
    public const string TurnSecret = "browser-test-turn-secret";

    /// <summary>
    /// The loopback port of the TURN server in <c>Kefu:Calls:TurnUrls</c>. Nothing listens there unless a test starts
    /// coturn on it (<c>TurnServer.Start(TurnPort)</c>); without one, calls still connect on host candidates.
    /// </summary>
    public int TurnPort { get; }

    /// <summary>
    /// The loopback port the server sends mail to. Nothing listens there unless a test starts a mail server on it
    /// (<c>SignInMailServer.StartAsync(MailPort)</c>); without one, a mail fails and is logged, as with a mail server down.
    /// </summary>
    public int MailPort { get; }

    /// <summary>The server's root, e.g. http://127.0.0.1:PORT/ (with a trailing slash).</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Kefu:Database:DataDirectory", DataDirectory);
        builder.UseSetting("Kefu:Seed:AdminEmail", AdminEmail);
        builder.UseSetting("Kefu:Seed:AdminPassword", AdminPassword);
        builder.UseSetting("Kefu:Widget:SessionsPerMinutePerIp", "100000");
        // Tests sign in and send from one address far more often than people do; the limit tests set their own.
        builder.UseSetting("Kefu:RateLimits:SignInsPerMinutePerIp", "100000");
        builder.UseSetting("Kefu:RateLimits:SignInsPerMinutePerAccount", "100000");
        builder.UseSetting("Kefu:RateLimits:VisitorMessagesPerSecond", "100000");
        builder.UseSetting("Kefu:RateLimits:VisitorMessageBurst", "100000");
        builder.UseSetting("Kefu:RateLimits:AgentMessagesPerSecond", "100000");
        builder.UseSetting("Kefu:RateLimits:AgentMessageBurst", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");

        builder.UseSetting("Kefu:Mail:Host", "127.0.0.1");
        builder.UseSetting("Kefu:Mail:Port", MailPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Kefu:Mail:Security", "None");
        builder.UseSetting("Kefu:Mail:From", "Kefu <no-reply@browser.test>");
        builder.UseSetting("Kefu:Mail:PublicUrl", MailPublicUrl);

        // The demo inbox's bot would answer every visitor message; tests of the bot turn it on themselves.
        builder.UseSetting("Kefu:Seed:DemoBot", "false");
        // The demo order API still runs: the flow tests build the order flow against it.
        builder.UseSetting("Kefu:Seed:DemoOrders", "true");
        // E-mail inboxes made by a test start being read within a second (the default waits up to half a minute).
        builder.UseSetting("Kefu:Email:ReconcileSeconds", "1");
        builder.UseSetting("Kefu:Email:PollSeconds", "1");

        // Webhook tests deliver to a receiver they start on 127.0.0.1; the guard refuses every other local address.
        builder.UseSetting("Kefu:Webhooks:AllowedNetworks:0", "127.0.0.1/32");

        // Calls use a TURN server a test may start on TurnPort (coturn's REST credentials, docs/calls.md).
        builder.UseSetting("Kefu:Calls:TurnUrls:0", $"turn:127.0.0.1:{TurnPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}?transport=udp");
        builder.UseSetting("Kefu:Calls:TurnSecret", TurnSecret);

        // Voice messages: the shortest allowed limit, so a test can record past it in a few seconds.
        builder.UseSetting("Kefu:Conversations:MaxVoiceSeconds", "5");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by SQLite on the way down: the temp folder is cleaned later
        }
        catch (UnauthorizedAccessException)
        {
        }

        GC.SuppressFinalize(this);
    }
}
