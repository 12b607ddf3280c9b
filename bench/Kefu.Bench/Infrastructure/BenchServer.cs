namespace Kefu.Bench.Infrastructure;

/// <summary>
/// The server a scenario drives: one it starts itself (default; measured from /proc), or an
/// existing one given by <c>--url</c> (then CPU and memory read as -1, and the admin account
/// comes from <c>--email</c>/<c>--password</c> or the bench defaults).
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private BenchServer(Uri url, ServerProcess? process)
    {
        Url = url;
        Process = process;
    }

    public Uri Url { get; }
    public ServerProcess? Process { get; }

    public static async Task<BenchServer> StartAsync(BenchOptions options, bool requireOwnProcess = false)
    {
        if (options.GetString("url") is { } url)
        {
            if (requireOwnProcess)
            {
                throw new InvalidOperationException("This scenario kills and restarts the server: run it without --url.");
            }

            return new BenchServer(new Uri(url), null);
        }

        var process = new ServerProcess(environment: ServerEnvironment(options), serverDirectory: options.GetString("server-dir"));
        await process.StartAsync();
        return new BenchServer(process.Url, process);
    }

    /// <summary>
    /// <c>--server-env "K=V;K2=V2"</c>: extra environment for the server process (GC settings, options) in experiments.
    /// </summary>
    public static Dictionary<string, string> ServerEnvironment(BenchOptions options) =>
        (options.GetString("server-env") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    public double CpuSeconds() => Process?.CpuSeconds() ?? -1;

    public long PeakRssKiB() => Process?.PeakRssKiB() ?? -1;

    public long RssKiB() => Process?.RssKiB() ?? -1;

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
    }
}
