using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>
/// A real SMTP server for the tests: Debian's aiosmtpd (python3-aiosmtpd; scripts/test.sh installs it) on a free
/// loopback port, delivering into a temporary Maildir the tests read. Stopped by its pid.
/// </summary>
public sealed partial class SignInMailServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3"; // the python3 on PATH may not see Debian's modules
    private readonly Process _process;

    private SignInMailServer(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
    }

    public int Port { get; }

    public string Maildir { get; }

    /// <summary>Starts on a free port, or on <paramref name="port"/> when a server was configured to send there before it started.</summary>
    public static async Task<SignInMailServer> StartAsync(int? port = null)
    {
        var maildir = Path.Combine(Path.GetTempPath(), "kefu-tests", "mail-" + Guid.NewGuid().ToString("N"));
        foreach (var folder in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, folder)); // a Maildir: aiosmtpd writes to tmp/, then moves to new/
        }
        var listen = port ?? FreePort();
        var process = Process.Start(new ProcessStartInfo(Python)
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{listen}", "-c", "aiosmtpd.handlers.Mailbox", maildir },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("aiosmtpd did not start: install python3-aiosmtpd (apt).");
        var server = new SignInMailServer(process, listen, maildir);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, listen);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "no answer on the port";
                await server.DisposeAsync();
                throw new InvalidOperationException("aiosmtpd did not listen (is python3-aiosmtpd installed?): " + error);
            }
        }
    }

    /// <summary>The messages delivered so far to <paramref name="to"/>.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string to)
    {
        var folder = Path.Combine(Maildir, "new");
        return !Directory.Exists(folder)
            ? []
            : [.. Directory.GetFiles(folder).OrderBy(DeliveryOrder).Select(f => MimeMessage.Load(f))
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)))];
    }

    // In delivery order. Not by the Date header: it has whole seconds, so two mails sent in one second tied and came
    // back in directory order (which made a test read the first invitation as the second). Python's Maildir names
    // every file "<seconds>.M<microseconds>P<pid>Q<counter>.<host>"; the counter grows by one per delivery.
    private static long DeliveryOrder(string file) =>
        DeliveryCounter().Match(Path.GetFileName(file)) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : long.MaxValue;

    [GeneratedRegex(@"Q(\d+)\.")]
    private static partial Regex DeliveryCounter();

    /// <summary>Every message delivered so far, to anyone.</summary>
    public int Count => Directory.Exists(Path.Combine(Maildir, "new")) ? Directory.GetFiles(Path.Combine(Maildir, "new")).Length : 0;

    /// <summary>Waits (bounded) for the <paramref name="nth"/> message to <paramref name="to"/> and returns it.</summary>
    public async Task<MimeMessage> WaitForAsync(string to, int nth = 1, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var messages = MessagesTo(to);
            if (messages.Count >= nth)
            {
                return messages[nth - 1];
            }

            Assert.True(DateTime.UtcNow < deadline, $"No mail number {nth} to the address within {seconds}s");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Maildir, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
