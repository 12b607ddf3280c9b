using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Kefu.BrowserTests.Infrastructure;

namespace Kefu.BrowserTests.Calls;

/// <summary>A test that needs Debian's coturn (<c>turnserver</c>); skipped, saying why, only when it is not installed.</summary>
public sealed class TurnFactAttribute : FactAttribute
{
    public TurnFactAttribute()
    {
        if (TurnServer.Binary is null)
        {
            Skip = "turnserver is not installed: `apt-get install -y coturn` (scripts/test.sh installs it).";
        }
    }
}

/// <summary>
/// Debian's coturn on 127.0.0.1, with the REST-credential secret the test server hands out credentials for; started as
/// a daemon with a pid file and stopped by that pid, never by name.
/// </summary>
public sealed class TurnServer : IDisposable
{
    public static readonly string? Binary = new[] { "/usr/bin/turnserver", "/usr/local/bin/turnserver" }.FirstOrDefault(File.Exists);

    private readonly string _folder;

    private TurnServer(string folder) => _folder = folder;

    public static async Task<TurnServer> StartAsync(int port)
    {
        var folder = Path.Combine(Path.GetTempPath(), "kefu-turn", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var server = new TurnServer(folder);
        string[] args =
        [
            "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", port.ToString(CultureInfo.InvariantCulture),
            "--min-port", "49152", "--max-port", "65535", "--no-cli", "--no-tls", "--no-dtls", "--realm", "kefu.test",
            "--use-auth-secret", "--static-auth-secret", KefuServer.TurnSecret,
            // Both browsers are on this machine: their relayed peers are loopback addresses, which coturn refuses by default.
            "--allow-loopback-peers", "--no-stdout-log", "--log-file", Path.Combine(folder, "turn.log"),
            "--pidfile", server.PidFile, "--daemon",
        ];
        using (var process = Process.Start(new ProcessStartInfo(Binary!, args) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        // Ready when it accepts TCP on its port (it listens on UDP and TCP alike); bounded.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private string PidFile => Path.Combine(_folder, "turnserver.pid");

    public void Dispose()
    {
        try
        {
            if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5_000);
            }
        }
        catch (ArgumentException)
        {
            // already gone
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
