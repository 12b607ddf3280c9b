using System.Diagnostics;
using System.Net.WebSockets;
using Kefu.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>idle</c>: N visitors with a finished handshake and nothing to say. Reports the server's resident
/// memory per connection above the baseline measured just before connecting (for Kefu, after the N visitor sessions
/// exist, so only connection state is counted), before and after a full compacting collection, and the managed heap.
/// <c>--server</c> names one server or a comma-separated list measured one after the other in the same run with the
/// same client: <c>kefu</c> (default), <c>relay</c> (the plain SignalR relay; <c>--relay-args</c> or
/// <c>relay+name=value</c> pass its experiment options, see <see cref="PlainRelayServer.RunAsync"/>), <c>lean-ws</c> and <c>lean-sse</c> (<see cref="LeanVisitorServer"/>). Every server but Kefu
/// is a child process under Kefu's runtime settings; <c>--server-env</c> goes to each.
/// </summary>
public static class Idle
{
    private static readonly string[] Servers = ["kefu", "relay", "lean-ws", "lean-sse"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var servers = (options.GetString("server") ?? "kefu").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (servers.Length == 0 || servers.Any(s => !Servers.Contains(s.Split('+')[0])))
        {
            throw new ArgumentException($"--server takes {string.Join(", ", Servers)} or a comma-separated list of them.");
        }

        var results = new Dictionary<string, object>();
        foreach (var server in servers)
        {
            results[server] = server == "kefu" ? await KefuAsync(options) : await ChildAsync(server, options);
            // Let the sockets of the last server close before the next one starts.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        if (servers.Length == 1)
        {
            return Result.Print(new Dictionary<string, object> { ["scenario"] = "idle", ["server"] = servers[0] }
                .Concat((Dictionary<string, object>)results[servers[0]]).ToDictionary());
        }

        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "idle",
            ["visitors"] = options.GetInt("visitors", 10_000),
            ["servers"] = results,
        });
    }

    private static async Task<Dictionary<string, object>> KefuAsync(BenchOptions options)
    {
        var count = options.GetInt("visitors", 10_000);
        await using var server = await BenchServer.StartAsync(options);
        if (server.Process is null)
        {
            throw new InvalidOperationException("idle measures the server's memory: run it without --url.");
        }

        using var client = new KefuClient(server.Url);
        var key = await client.DemoWidgetKeyAsync();
        Result.Progress($"kefu: creating {count} visitor sessions");
        var tokens = new string[count];
        await Parallelism.ForEachAsync(Enumerable.Range(0, count), 16, async i => tokens[i] = (await client.NewVisitorAsync(key)).Token);
        var admin = await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        return await MeasureAsync("kefu", options, server.Process.Pid, server.RssKiB, () => client.MemoryAsync(admin, collect: true),
            i => HubAsync(client, tokens[i], warm: true), count);
    }

    /// <summary>
    /// A child server. <paramref name="spec"/> is its kind, for the relay optionally followed by experiment options:
    /// <c>relay+ws-keepalive=0+group=true</c> runs it with <c>--ws-keepalive 0 --group true</c>, after <c>--relay-args</c>.
    /// </summary>
    private static async Task<Dictionary<string, object>> ChildAsync(string spec, BenchOptions options)
    {
        var count = options.GetInt("visitors", 10_000);
        var environment = BenchServer.ServerEnvironment(options);
        var parts = spec.Split('+');
        var kind = parts[0];
        string[] relayArgs =
        [
            .. (options.GetString("relay-args") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            .. parts.Skip(1).SelectMany(p => p.Split('=', 2) is [var name, var value] ? ["--" + name, value] : new[] { "--" + p, "true" }),
        ];
        await using var server = kind == "relay"
            ? await PlainRelayServer.StartAsync(environment, relayArgs)
            : await LeanVisitorServer.StartAsync(environment);
        using var client = new KefuClient(server.Url);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) }) { Timeout = Timeout.InfiniteTimeSpan };
        Func<int, Task<IIdleConnection>> connect = kind == "lean-sse"
            ? i => EventStreamAsync(http, new Uri(server.Url, $"/sse/visitor?access_token=v{i}"))
            : i => HubAsync(client, $"v{i}", warm: false);
        return await MeasureAsync(spec, options, server.Pid, server.RssKiB, () => server.CollectAsync(http), connect, count);
    }

    private static async Task<Dictionary<string, object>> MeasureAsync(
        string kind, BenchOptions options, int pid, Func<long> rss, Func<Task<(long WorkingSet, long ManagedHeap)>> collect,
        Func<int, Task<IIdleConnection>> connect, int count)
    {
        var settle = TimeSpan.FromSeconds(options.GetInt("settle", 10));
        // Warm the connection path (JIT, pools) with a few connections, then measure the baseline.
        foreach (var i in Enumerable.Range(0, 50))
        {
            await using var warm = await connect(i);
        }

        await Task.Delay(settle);
        var baseline = rss();
        var (baselineCollected, baselineHeap) = await collect();
        Result.Progress($"{kind}: baseline RSS {baseline / 1024} MiB; connecting {count} visitors");

        var connections = new IIdleConnection?[count];
        var errors = 0;
        var started = Stopwatch.StartNew();
        await Parallelism.ForEachAsync(Enumerable.Range(0, count), 64, async i =>
        {
            try
            {
                connections[i] = await connect(i);
            }
            catch (Exception ex) when (ex is HttpRequestException or WebSocketException or IOException or TimeoutException or TaskCanceledException or InvalidOperationException)
            {
                Interlocked.Increment(ref errors);
            }
        });
        var connectSeconds = started.Elapsed.TotalSeconds;

        await Task.Delay(settle);
        var after = rss();
        // Also after a full compacting GC: what the live connection state needs once the garbage of the handshakes is
        // gone (an idle server gets there by itself, just later).
        var (afterCollected, afterHeap) = await collect();
        var connected = connections.Count(c => c?.Connected == true);
        Result.Progress($"{kind}: after RSS {after / 1024} MiB with {connected} connected");
        if (options.GetInt("hold", 0) is > 0 and var hold)
        {
            // Time to look inside the server with its connections open (dotnet-gcdump, /proc/PID/smaps).
            Result.Progress($"{kind}: holding {hold} s, server pid {pid}");
            await Task.Delay(TimeSpan.FromSeconds(hold));
        }

        await Task.WhenAll(connections.Where(c => c is not null).Select(c => c!.DisposeAsync().AsTask()));

        double PerConnection(long bytes) => connected == 0 ? 0 : Math.Round(bytes / 1024.0 / connected, 2);
        return new Dictionary<string, object>
        {
            ["visitors"] = count,
            ["connected"] = connected,
            ["connectErrors"] = errors,
            ["connectSeconds"] = Math.Round(connectSeconds, 1),
            ["baselineRssMiB"] = Math.Round(baseline / 1024.0, 1),
            ["rssMiB"] = Math.Round(after / 1024.0, 1),
            ["rssAfterGcMiB"] = Math.Round(afterCollected / 1048576.0, 1),
            ["gcHeapMiB"] = Math.Round(afterHeap / 1048576.0, 1),
            ["kibPerConnection"] = PerConnection((after - baseline) * 1024),
            ["kibPerConnectionAfterGc"] = PerConnection(afterCollected - baselineCollected),
            ["managedHeapKibPerConnection"] = PerConnection(afterHeap - baselineHeap),
        };
    }

    /// <summary>One idle visitor connection as the client holds it.</summary>
    private interface IIdleConnection : IAsyncDisposable
    {
        bool Connected { get; }
    }

    /// <summary>A SignalR client connection (Kefu, the relay, and the lean WebSocket, which speaks the same handshake).</summary>
    private static async Task<IIdleConnection> HubAsync(KefuClient client, string token, bool warm)
    {
        var hub = client.VisitorHub(token);
        try
        {
            await hub.StartAsync();
            if (warm)
            {
                // Kefu's warm-up also runs its first query path, as a widget does on open.
                await hub.InvokeAsync<HubResult<List<VisitorConversation>>>("GetConversations");
            }
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return new HubIdle(hub);
    }

    private sealed class HubIdle(HubConnection hub) : IIdleConnection
    {
        public bool Connected => hub.State == HubConnectionState.Connected;

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }

    /// <summary>An event stream: connected once its hello arrived, and for as long as it is read without ending.</summary>
    private static async Task<IIdleConnection> EventStreamAsync(HttpClient http, Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync();
        var idle = new EventStreamIdle(response, stream);
        await idle.ReadHelloAsync();
        idle.StartDraining();
        return idle;
    }

    private sealed class EventStreamIdle(HttpResponseMessage response, Stream stream) : IIdleConnection
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _drain = Task.CompletedTask;
        private volatile bool _open = true;

        public bool Connected => _open;

        public async Task ReadHelloAsync()
        {
            var buffer = new byte[256];
            var text = "";
            while (!text.Contains("\n\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                if (read == 0)
                {
                    throw new IOException("The event stream ended before its hello.");
                }

                text += System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            }

            if (!text.StartsWith("event: hello\n", StringComparison.Ordinal))
            {
                throw new IOException("The event stream did not start with hello.");
            }
        }

        public void StartDraining() => _drain = Task.Run(async () =>
        {
            var buffer = new byte[64];
            try
            {
                while (await stream.ReadAsync(buffer, _stop.Token) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Stopped, or the server went away.
            }

            _open = false;
        });

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _drain;
            await stream.DisposeAsync();
            response.Dispose();
            _stop.Dispose();
        }
    }
}
