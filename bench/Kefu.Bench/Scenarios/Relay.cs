using System.Diagnostics;
using Kefu.Bench.Infrastructure;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>relay</c>: V visitors and A agents through the real hubs, durability on.
/// <c>--rate R</c> switches from closed loop to fixed rate.
/// </summary>
public static class Relay
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var visitors = options.GetInt("visitors", 1000);
        var agents = options.GetInt("agents", 20);
        var duration = TimeSpan.FromSeconds(options.GetInt("duration", 20));
        var warmup = TimeSpan.FromSeconds(options.GetInt("warmup", 5));
        var rate = options.GetDouble("rate", 0);

        await using var server = await BenchServer.StartAsync(options);
        using var client = new KefuClient(server.Url);
        Result.Progress($"connecting {visitors} visitors and {agents} agents to {server.Url}");
        await using var rig = await RelayRig.ConnectAsync(client, visitors, agents);
        Result.Progress($"connected ({rig.ConnectErrors} connect errors); warming up {warmup.TotalSeconds}s");
        await rig.ClosedLoopAsync(warmup, record: false);
        await rig.DrainAsync(TimeSpan.FromSeconds(10));

        var cpuBefore = server.CpuSeconds();
        var clientCpuBefore = Environment.CpuUsage.TotalTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        Result.Progress(rate > 0 ? $"fixed rate {rate}/s for {duration.TotalSeconds}s" : $"closed loop for {duration.TotalSeconds}s");
        if (rate > 0)
        {
            await rig.FixedRateAsync(rate, duration, record: true);
        }
        else
        {
            await rig.ClosedLoopAsync(duration, record: true);
        }

        var sendSeconds = Math.Max(duration.TotalSeconds, clock.Elapsed.TotalSeconds);
        await rig.DrainAsync(TimeSpan.FromSeconds(15));
        var cpu = server.CpuSeconds() - cpuBefore;
        var clientCpu = Environment.CpuUsage.TotalTime.TotalSeconds - clientCpuBefore;

        var result = new Dictionary<string, object>
        {
            ["scenario"] = "relay",
            ["mode"] = rate > 0 ? "fixed-rate" : "closed-loop",
            ["visitors"] = visitors,
            ["agents"] = agents,
            ["durationSeconds"] = duration.TotalSeconds,
            ["targetRate"] = rate,
            ["sent"] = rig.Sent,
            ["acked"] = rig.Acked,
            ["delivered"] = rig.Delivered,
            ["ackedPerSecond"] = Math.Round(rig.Acked / sendSeconds, 1),
            ["deliveredPerSecond"] = Math.Round(rig.Delivered / sendSeconds, 1),
            ["connectErrors"] = rig.ConnectErrors,
            ["sendErrors"] = rig.SendErrors,
            ["unackedAfterDrain"] = rig.Sent - rig.Acked - rig.SendErrors,
            ["undeliveredAfterDrain"] = rig.Outstanding,
            ["serverCpuSeconds"] = Math.Round(cpu, 2),
            ["loadGeneratorCpuSeconds"] = Math.Round(clientCpu, 2),
            ["serverPeakRssMiB"] = server.PeakRssKiB() / 1024,
        };
        foreach (var (k, v) in rig.AckLatency.Summary("sendToAck"))
        {
            result[k] = v;
        }

        foreach (var (k, v) in rig.DeliveryLatency.Summary("sendToAgent"))
        {
            result[k] = v;
        }

        return Result.Print(result);
    }
}
