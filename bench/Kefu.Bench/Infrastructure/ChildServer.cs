using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// A reference server the bench hosts in a child process of its own: the bench executable with a hidden scenario
/// (<c>plain-relay-server</c>, <c>lean-server</c>), run under Kefu.Server's runtimeconfig so its GC mode is Kefu's.
/// The child prints <c>READY</c> once it listens.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private readonly Process _process;

    private ChildServer(Process process, int port)
    {
        _process = process;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <paramref name="scenario"/> with <c>--port P</c> and <paramref name="arguments"/>.</summary>
    public static async Task<ChildServer> StartAsync(string scenario, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var port = ServerProcess.FreePort();
        // Kefu.Server's runtimeconfig, not the bench's: the bench runs workstation GC, Kefu the Web SDK's server GC,
        // and a reference measured under another GC would compare the collectors as much as the servers.
        var runtimeConfig = Path.Combine(ServerProcess.ServerDirectory(), "Kefu.Server.runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException($"Build the server first: {runtimeConfig} is missing.");
        }

        var info = new ProcessStartInfo("dotnet",
            ["exec", "--runtimeconfig", runtimeConfig, typeof(ChildServer).Assembly.Location,
             scenario, "--port", port.ToString(CultureInfo.InvariantCulture), .. arguments])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {scenario}.");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ready != "READY")
        {
            process.Kill();
            throw new InvalidOperationException($"{scenario} did not start.");
        }

        return new ChildServer(process, port);
    }

    /// <summary>User + system CPU seconds of the child so far.</summary>
    public double CpuSeconds() => ServerProcess.CpuSecondsOf(_process.Id);

    /// <summary>Peak resident memory of the child, KiB.</summary>
    public long PeakRssKiB() => ServerProcess.PeakRssKiBOf(_process.Id);

    /// <summary>Resident memory of the child now, KiB.</summary>
    public long RssKiB() => ServerProcess.RssKiBOf(_process.Id);

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>
    /// <c>POST /memory/collect</c> in a child server: the same full, compacting collection and the same figures as
    /// Kefu's <c>/api/v1/diagnostics/memory/collect</c>, so the idle scenario reads every server alike. Loopback only,
    /// no authentication: the child lives for one bench run.
    /// </summary>
    public static void MapMemory(IEndpointRouteBuilder app) =>
        app.MapPost("/memory/collect", () =>
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            return Results.Json(new { workingSetBytes = Environment.WorkingSet, managedHeapBytes = GC.GetTotalMemory(false) });
        });

    /// <summary>Calls <see cref="MapMemory"/>'s endpoint: (working set, managed heap) after a full collection.</summary>
    public async Task<(long WorkingSet, long ManagedHeap)> CollectAsync(HttpClient http)
    {
        var response = await http.PostAsync(new Uri(Url, "/memory/collect"), null);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("workingSetBytes").GetInt64(), json.GetProperty("managedHeapBytes").GetInt64());
    }
}
