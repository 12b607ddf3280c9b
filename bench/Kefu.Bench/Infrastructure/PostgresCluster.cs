using System.Diagnostics;
using System.Globalization;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of the machine's newest installed server (<c>/usr/lib/postgresql/N/bin</c>, as
/// <c>scripts/test.sh</c> finds it), in its own temp folder on a free port, owned by the <c>postgres</c> user when the
/// bench runs as root (initdb refuses root). Stopped (fast shutdown: open connections are cut) and started again on
/// the same port for the fault scenarios, and removed on dispose. Durability settings are PostgreSQL's defaults.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;

    private PostgresCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string for Kefu, with its own database (created by Kefu's migrations on start).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=100";

    public static async Task<PostgresCluster> CreateAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); scripts/test.sh installs it.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "kefu-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var cluster = new PostgresCluster(bin, folder, ServerProcess.FreePort());
        if (Environment.UserName == "root")
        {
            await Shell.RunAsync("chown", ["postgres", folder]);
        }

        await cluster.RunAsync("initdb", ["-D", cluster.Data, "-U", "postgres", "-A", "trust"]);
        await cluster.StartAsync();
        return cluster;
    }

    private string Data => Path.Combine(_folder, "data");

    /// <summary>Starts the server and returns once it accepts connections (<c>pg_ctl -w</c>).</summary>
    public Task StartAsync() =>
        RunAsync("pg_ctl", ["-D", Data, "-l", Path.Combine(_folder, "pg.log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=300"]);

    /// <summary>Fast shutdown: every open connection is cut, as in a restart for an upgrade or a failover.</summary>
    public Task StopAsync() => RunAsync("pg_ctl", ["-D", Data, "-w", "-t", "60", "-m", "fast", "stop"]);

    /// <summary>Rows of a query, columns split on '|', through <c>psql</c>: the ground truth the scenarios check clients against.</summary>
    public async Task<List<string[]>> QueryAsync(string database, string sql)
    {
        var output = await Shell.RunAsync(Path.Combine(_bin, "psql"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-At", "-F", "|", "-c", sql]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('|'))];
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            await StopAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task<string> RunAsync(string tool, string[] args) =>
        Environment.UserName == "root"
            ? Shell.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : Shell.RunAsync(Path.Combine(_bin, tool), args);
}

/// <summary>
/// A <c>redis-server</c> of its own on a free port (no persistence), stopped and started again on the same port by
/// its pid file, as an outage does; never by name.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kefu-bench-redis-" + Guid.NewGuid().ToString("N")[..8]);

    public int Port { get; } = ServerProcess.FreePort();

    public string Connection => $"127.0.0.1:{Port}";

    private string PidFile => Path.Combine(_folder, "redis.pid");

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_folder);
        File.Delete(PidFile);
        await Shell.RunAsync("redis-server", ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "yes", "--pidfile", PidFile, "--dir", _folder]);
        for (var deadline = Stopwatch.StartNew(); !Listening(); await Task.Delay(20))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("redis-server did not start listening within 10 s.");
            }
        }
    }

    /// <summary>Kills the process named in its pid file (like a crash: Redis keeps nothing anyway) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (!File.Exists(PidFile))
        {
            return;
        }

        var pid = int.Parse((await File.ReadAllTextAsync(PidFile)).Trim(), CultureInfo.InvariantCulture);
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        File.Delete(PidFile);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private bool Listening()
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}

/// <summary>Runs a tool to completion and returns its standard output; a non-zero exit throws with its error output.</summary>
public static class Shell
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
