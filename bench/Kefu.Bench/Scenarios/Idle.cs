using Kefu.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>idle</c>: N visitors with a finished hub handshake and nothing to say. Reports the
/// server's resident memory per connection above the baseline measured just before connecting
/// (after the N visitor sessions exist, so only connection state is counted).
/// </summary>
public static class Idle
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var count = options.GetInt("visitors", 10_000);
        var settle = TimeSpan.FromSeconds(options.GetInt("settle", 10));
        await using var server = await BenchServer.StartAsync(options);
        if (server.Process is null)
        {
            throw new InvalidOperationException("idle measures the server's memory: run it without --url.");
        }

        using var client = new KefuClient(server.Url);
        var key = await client.DemoWidgetKeyAsync();
        Result.Progress($"creating {count} visitor sessions");
        var tokens = new string[count];
        await Parallelism.ForEachAsync(Enumerable.Range(0, count), 16, async i => tokens[i] = (await client.NewVisitorAsync(key)).Token);

        // Warm the hub path (JIT, pools) with a few connections, then measure the baseline.
        var warm = new List<HubConnection>();
        foreach (var token in tokens.Take(50))
        {
            var hub = client.VisitorHub(token);
            await hub.StartAsync();
            await hub.InvokeAsync<HubResult<List<VisitorConversation>>>("GetConversations");
            warm.Add(hub);
        }

        foreach (var hub in warm)
        {
            await hub.DisposeAsync();
        }

        await Task.Delay(settle);
        var admin = await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        var baseline = server.RssKiB();
        var (baselineCollected, baselineHeap) = await client.MemoryAsync(admin, collect: true);
        Result.Progress($"baseline RSS {baseline / 1024} MiB; connecting {count} visitors");

        var connections = new HubConnection[count];
        var errors = 0;
        await Parallelism.ForEachAsync(Enumerable.Range(0, count), 64, async i =>
        {
            try
            {
                var hub = client.VisitorHub(tokens[i]);
                await hub.StartAsync();
                connections[i] = hub;
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or IOException or TimeoutException or TaskCanceledException)
            {
                Interlocked.Increment(ref errors);
            }
        });

        await Task.Delay(settle);
        var after = server.RssKiB();
        // Also after a full compacting GC: what the live connection state needs once the garbage
        // of 10,000 handshakes is gone (an idle server gets there by itself, just later).
        var (afterCollected, afterHeap) = await client.MemoryAsync(admin, collect: true);
        var connected = connections.Count(c => c?.State == HubConnectionState.Connected);
        Result.Progress($"after RSS {after / 1024} MiB with {connected} connected");
        var perConnection = connected == 0 ? 0 : (after - baseline) / (double)connected;
        await Task.WhenAll(connections.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));

        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "idle",
            ["visitors"] = count,
            ["connected"] = connected,
            ["connectErrors"] = errors,
            ["baselineRssMiB"] = Math.Round(baseline / 1024.0, 1),
            ["rssMiB"] = Math.Round(after / 1024.0, 1),
            ["kibPerConnection"] = Math.Round(perConnection, 2),
            ["kibPerConnectionAfterGc"] = connected == 0 ? 0 : Math.Round((afterCollected - baselineCollected) / 1024.0 / connected, 2),
            ["managedHeapKibPerConnection"] = connected == 0 ? 0 : Math.Round((afterHeap - baselineHeap) / 1024.0 / connected, 2),
        });
    }
}
