using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// A real Kefu server in its own process (the build next to this bench: same configuration),
/// with its own data folder, started, killed with SIGKILL or stopped with SIGTERM, and measured
/// from /proc (CPU seconds, RSS).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminEmail = "bench-admin@kefu.local";
    public const string AdminPassword = "Bench-Password-42!";

    private readonly Dictionary<string, string> _environment;
    private readonly string? _serverDirectory;
    private Process? _process;

    /// <param name="dataDirectory">The server's data folder; a new temporary one when null.</param>
    /// <param name="environment">Extra environment for the server (GC settings, options).</param>
    /// <param name="serverDirectory">
    /// Where Kefu.Server.dll is: the build next to the bench when null, or another build of it (a ReadyToRun publish,
    /// an older commit) for comparisons.
    /// </param>
    public ServerProcess(string? dataDirectory = null, IDictionary<string, string>? environment = null, string? serverDirectory = null)
    {
        _serverDirectory = serverDirectory;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "kefu-bench", Guid.NewGuid().ToString("N"));
        Port = FreePort();
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["Kefu__Database__DataDirectory"] = DataDirectory,
            ["Kefu__Seed__AdminEmail"] = AdminEmail,
            ["Kefu__Seed__AdminPassword"] = AdminPassword,
            ["Kefu__Widget__SessionsPerMinutePerIp"] = "100000",
            // The scenarios drive each visitor and agent far faster than a person types (closed loop,
            // bursts, one agent answering every visitor) and sign every agent in from one address.
            ["Kefu__RateLimits__VisitorMessagesPerSecond"] = "1000000",
            ["Kefu__RateLimits__VisitorMessageBurst"] = "1000000",
            ["Kefu__RateLimits__AgentMessagesPerSecond"] = "1000000",
            ["Kefu__RateLimits__AgentMessageBurst"] = "1000000",
            ["Kefu__RateLimits__SignInsPerMinutePerIp"] = "1000000",
            ["Kefu__RateLimits__SignInsPerMinutePerAccount"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public int Pid => _process?.Id ?? throw new InvalidOperationException("Not started.");
    public string DatabaseFile => Path.Combine(DataDirectory, "kefu.db");

    /// <summary>How often <see cref="StartAsync"/> asks <c>/healthz</c>; the start-up scenario polls finer.</summary>
    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary><see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long LaunchedAt { get; private set; }

    /// <summary>From process start to the first 200 from <c>/healthz</c>.</summary>
    public TimeSpan ReadyAfter { get; private set; }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Kefu.slnx) above the bench.");
    }

    /// <summary>The server's build output: built by the bench's project reference in the same configuration.</summary>
    public static string ServerDirectory()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(RepoRoot(), "src", "Kefu.Server", "bin", configuration, "net10.0");
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var serverDirectory = _serverDirectory ?? ServerDirectory();
        var dll = Path.Combine(serverDirectory, "Kefu.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the server first: {dll} is missing.");
        }

        Directory.CreateDirectory(DataDirectory);
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = serverDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(DataDirectory, "server.log"), append: true) { AutoFlush = true };
        LaunchedAt = Stopwatch.GetTimestamp();
        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut of the process.</summary>
    public void Kill()
    {
        var process = _process ?? throw new InvalidOperationException("Not started.");
        _ = SendSignal(process.Id, 9);
        process.WaitForExit(10_000);
        _process = null;
    }

    /// <summary>SIGTERM: a graceful stop, bounded.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        _ = SendSignal(process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }

        _process = null;
    }

    /// <summary>User + system CPU time of the server process so far, seconds.</summary>
    public double CpuSeconds() => CpuSecondsOf(Pid);

    /// <summary>Resident memory now (VmRSS), KiB.</summary>
    public long RssKiB() => StatusField(Pid, "VmRSS:");

    /// <summary>Peak resident memory (VmHWM), KiB.</summary>
    public long PeakRssKiB() => PeakRssKiBOf(Pid);

    /// <summary>User + system CPU time of any process so far, seconds, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public static double CpuSecondsOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of /proc/pid/stat (utime, stime) are at 11 and 12 after the command name; clock ticks are 100/s on Linux.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Peak resident memory (VmHWM) of any process, KiB.</summary>
    public static long PeakRssKiBOf(int pid) => StatusField(pid, "VmHWM:");

    /// <summary>Resident memory now (VmRSS) of any process, KiB.</summary>
    public static long RssKiBOf(int pid) => StatusField(pid, "VmRSS:");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
    }

    private static long StatusField(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}; see {Path.Combine(DataDirectory, "server.log")}.");
            }

            try
            {
                if ((await http.GetAsync("/healthz", cancellationToken)).IsSuccessStatusCode)
                {
                    ReadyAfter = Stopwatch.GetElapsedTime(LaunchedAt);
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // slow start
            }

            await Task.Delay(HealthPollInterval, cancellationToken);
        }

        throw new TimeoutException($"The server did not become healthy within {timeout.TotalSeconds}s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // one trivial call; LibraryImport would need unsafe blocks in the project
    private static extern int SendSignal(int pid, int signal);
#pragma warning restore SYSLIB1054
}
