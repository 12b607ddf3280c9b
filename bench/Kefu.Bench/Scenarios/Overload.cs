using System.Diagnostics;
using System.Net.Http.Headers;
using Kefu.Bench.Infrastructure;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>overload</c>: Kefu on SQLite driven at <c>--factor</c> (10) times its sustainable rate for
/// <c>--duration</c> seconds. The sustainable rate is <c>--rate</c>, or what a short closed loop of the same rig acks
/// per second. Expected: the excess is refused at once with <c>server_busy</c> instead of queueing without bound, the
/// server's memory stays bounded (RSS sampled, peak reported), it does not crash, and an agent's console keeps
/// answering: an authenticated <c>GET /api/v1/conversations</c> every 100 ms, its latency reported.
/// </summary>
public static class Overload
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var visitors = options.GetInt("visitors", 2000);
        var agents = options.GetInt("agents", 20);
        var factor = options.GetDouble("factor", 10);
        var duration = TimeSpan.FromSeconds(options.GetInt("duration", 20));

        await using var server = await BenchServer.StartAsync(options, requireOwnProcess: true);
        using var client = new KefuClient(server.Url);
        Result.Progress($"connecting {visitors} visitors and {agents} agents to {server.Url}");
        await using var rig = await RelayRig.ConnectAsync(client, visitors, agents);
        var sustainable = options.GetDouble("rate", 0);
        if (sustainable <= 0)
        {
            await rig.ClosedLoopAsync(TimeSpan.FromSeconds(10), record: false);
            sustainable = Math.Round(rig.Acked / 10.0);
            await rig.DrainAsync(TimeSpan.FromSeconds(10));
            Result.Progress($"closed loop: {sustainable} acked/s sustainable");
        }

        var rate = sustainable * factor;
        var rssBefore = server.RssKiB();
        using var console = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        console.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword));
        var consoleLatency = new Latency();
        var consoleFailures = 0;
        var rssSamples = new List<long>();
        using var stop = new CancellationTokenSource();

        Result.Progress($"fixed rate {rate}/s ({factor}× {sustainable}/s) for {duration.TotalSeconds}s");
        var cpuBefore = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        var load = rig.FixedRateAsync(rate, duration, record: true);
        var probe = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await console.GetAsync("/api/v1/conversations?limit=20");
                    if (response.IsSuccessStatusCode)
                    {
                        consoleLatency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref consoleFailures);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref consoleFailures);
                }

                lock (rssSamples)
                {
                    rssSamples.Add(server.RssKiB());
                }

                await Task.Delay(100);
            }
        });
        await load;
        var sendSeconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await probe;
        await rig.DrainAsync(TimeSpan.FromSeconds(15));
        var cpu = server.CpuSeconds() - cpuBefore;
        var healthy = await PgRestart.HealthyAsync(client);
        var busy = rig.ErrorsByCode.GetValueOrDefault("server_busy");
        var result = new Dictionary<string, object>
        {
            ["scenario"] = "overload",
            ["visitors"] = visitors,
            ["agents"] = agents,
            ["sustainableRate"] = sustainable,
            ["targetRate"] = rate,
            ["durationSeconds"] = duration.TotalSeconds,
            ["sent"] = rig.Sent,
            ["sentPerSecond"] = Math.Round(rig.Sent / sendSeconds, 1),
            ["acked"] = rig.Acked,
            ["ackedPerSecond"] = Math.Round(rig.Acked / sendSeconds, 1),
            ["serverBusy"] = busy,
            ["errorsByCode"] = rig.ErrorsByCode.ToDictionary(kv => kv.Key, kv => kv.Value),
            ["unanswered"] = rig.Sent - rig.Acked - rig.SendErrors,
            ["undeliveredAfterDrain"] = rig.Outstanding,
            ["serverRssBeforeMiB"] = rssBefore / 1024,
            ["serverRssMaxDuringMiB"] = rssSamples.DefaultIfEmpty(0).Max() / 1024,
            ["serverPeakRssMiB"] = server.PeakRssKiB() / 1024,
            // RSS at each fifth of the overload: flat at the end means memory stopped growing while the excess was shed.
            ["serverRssMiBByFifth"] = Enumerable.Range(1, 5).Select(f => rssSamples.Count == 0 ? 0 : rssSamples[Math.Min(rssSamples.Count - 1, f * rssSamples.Count / 5)] / 1024).ToArray(),
            ["serverCpuSeconds"] = Math.Round(cpu, 2),
            ["healthyAfter"] = healthy,
            ["consoleRequests"] = consoleLatency.Count,
            ["consoleFailures"] = consoleFailures,
        };
        foreach (var (k, v) in consoleLatency.Summary("console").Concat(rig.AnswerLatency.Summary("answer")).Concat(rig.AckLatency.Summary("sendToAck")))
        {
            result[k] = v;
        }

        return Result.Print(result, healthy && consoleFailures == 0 && rig.Sent - rig.Acked - rig.SendErrors == 0);
    }
}
