using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Kefu.Bench.Infrastructure;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>ceiling</c>: the same closed-loop load (V clients, one message in flight each, same
/// duration and message size) first against a raw Kestrel WebSocket echo that the bench hosts in a
/// child process, then against Kefu's durable relay. <c>ratio</c> = relay / echo says how much of
/// the machine's raw WebSocket capacity the full product path keeps.
/// </summary>
public static class Ceiling
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var visitors = options.GetInt("visitors", 1000);
        var agents = options.GetInt("agents", 20);
        var duration = TimeSpan.FromSeconds(options.GetInt("duration", 20));
        var warmup = TimeSpan.FromSeconds(options.GetInt("warmup", 5));

        var echo = await MeasureEchoAsync(visitors, duration, warmup);
        Result.Progress($"echo: {echo:F0} round trips/s");

        await using var server = await BenchServer.StartAsync(options);
        using var client = new KefuClient(server.Url);
        await using var rig = await RelayRig.ConnectAsync(client, visitors, agents);
        await rig.ClosedLoopAsync(warmup, record: false);
        await rig.DrainAsync(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        await rig.ClosedLoopAsync(duration, record: true);
        var relay = rig.Acked / Math.Max(duration.TotalSeconds, clock.Elapsed.TotalSeconds);
        await rig.DrainAsync(TimeSpan.FromSeconds(15));
        Result.Progress($"relay: {relay:F0} acked/s");

        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "ceiling",
            ["visitors"] = visitors,
            ["agents"] = agents,
            ["durationSeconds"] = duration.TotalSeconds,
            ["echoPerSecond"] = Math.Round(echo, 1),
            ["relayPerSecond"] = Math.Round(relay, 1),
            ["relayDeliveredPerSecond"] = Math.Round(rig.Delivered / Math.Max(duration.TotalSeconds, clock.Elapsed.TotalSeconds), 1),
            ["ratio"] = Math.Round(relay / echo, 3),
            ["relayConnectErrors"] = rig.ConnectErrors,
            ["relaySendErrors"] = rig.SendErrors,
        });
    }

    private static async Task<double> MeasureEchoAsync(int clients, TimeSpan duration, TimeSpan warmup)
    {
        await using var echo = await EchoServer.StartAsync();
        var sockets = new List<ClientWebSocket>(clients);
        await Parallelism.ForEachAsync(Enumerable.Range(0, clients), 32, async _ =>
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{echo.Port}/echo"), CancellationToken.None);
            lock (sockets)
            {
                sockets.Add(socket);
            }
        });

        // A payload the size of a relay message frame, so both runs move the same bytes.
        var payload = Encoding.UTF8.GetBytes("{\"type\":1,\"invocationId\":\"1\",\"target\":\"SendMessage\",\"arguments\":[{\"conversationId\":\"0193a1a4-0000-7000-8000-000000000000\",\"clientMessageId\":\"c1-1-0123456789abcdef0123\",\"text\":\"c1-1 — 你好, where is my order? 我的订单什么时候发货？\"}]}\u001e");
        await LoopAsync(sockets, payload, warmup);
        var clock = Stopwatch.StartNew();
        var count = await LoopAsync(sockets, payload, duration);
        var rate = count / Math.Max(duration.TotalSeconds, clock.Elapsed.TotalSeconds);
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        return rate;
    }

    private static async Task<long> LoopAsync(List<ClientWebSocket> sockets, byte[] payload, TimeSpan duration)
    {
        long count = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(sockets.Select(async socket =>
        {
            var buffer = new byte[4096];
            while (stop.Elapsed < duration)
            {
                await socket.SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None);
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                }
                while (!received.EndOfMessage);
                Interlocked.Increment(ref count);
            }
        }));
        return count;
    }
}
