using System.Diagnostics;
using Kefu.Bench.Infrastructure;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>relay-compare</c>: the <c>relay</c> load, in one run and through the same <see cref="RelayRig"/>, first
/// against the plain SignalR relay (<see cref="PlainRelayServer"/>: in memory, not durable), then against Kefu
/// (durable). Each server is measured closed loop and, with <c>--rate R</c>, at that fixed rate on the same
/// connections; Kefu's throughput and server CPU per message are reported as ratios of the relay's, so a figure from a
/// busy or different machine still says how far Kefu is from what SignalR alone costs there.
/// </summary>
public static class RelayCompare
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.Has("url"))
        {
            Console.Error.WriteLine("relay-compare starts both servers itself to read their CPU: run it without --url.");
            return 2;
        }

        var load = new Load(
            options.GetInt("visitors", 1000), options.GetInt("agents", 40), TimeSpan.FromSeconds(options.GetInt("duration", 20)),
            TimeSpan.FromSeconds(options.GetInt("warmup", 5)), options.GetDouble("rate", 0));

        ServerRun plain;
        await using (var relay = await PlainRelayServer.StartAsync(BenchServer.ServerEnvironment(options)))
        {
            using var client = new KefuClient(relay.Url);
            plain = await MeasureAsync("plain relay", new PlainRelayConnections(client), relay.CpuSeconds, relay.PeakRssKiB, load);
        }

        ServerRun kefu;
        await using (var server = await BenchServer.StartAsync(options))
        {
            using var client = new KefuClient(server.Url);
            kefu = await MeasureAsync("kefu", await KefuRelayConnections.CreateAsync(client), server.CpuSeconds, server.PeakRssKiB, load);
        }

        return Result.Print(new Dictionary<string, object?>
        {
            ["scenario"] = "relay-compare",
            ["visitors"] = load.Visitors,
            ["agents"] = load.Agents,
            ["durationSeconds"] = load.Duration.TotalSeconds,
            ["warmupSeconds"] = load.Warmup.TotalSeconds,
            ["targetRate"] = load.Rate,
            ["plain"] = plain.Fields(),
            ["kefu"] = kefu.Fields(),
            ["kefuToPlain"] = new Dictionary<string, object?>
            {
                ["throughput"] = Ratio(kefu.ClosedLoop.MsgsPerSecond, plain.ClosedLoop.MsgsPerSecond),
                // CPU per message is the inverse of messages per CPU-second: Kefu's cost as a multiple of the relay's.
                ["cpuPerMessage"] = Ratio(plain.ClosedLoop.MsgsPerCpuSecond, kefu.ClosedLoop.MsgsPerCpuSecond),
                ["fixedRateCpuPerMessage"] = Ratio(plain.FixedRate?.MsgsPerCpuSecond, kefu.FixedRate?.MsgsPerCpuSecond),
            },
        });
    }

    private static async Task<ServerRun> MeasureAsync(string name, IRelayConnections connections, Func<double> serverCpu, Func<long> peakRssKiB, Load load)
    {
        Result.Progress($"{name}: connecting {load.Visitors} visitors and {load.Agents} agents");
        await using var rig = await RelayRig.ConnectAsync(connections, load.Visitors, load.Agents);
        Result.Progress($"{name}: connected ({rig.ConnectErrors} connect errors); warming up {load.Warmup.TotalSeconds}s");
        await rig.ClosedLoopAsync(load.Warmup, record: false);
        await rig.DrainAsync(TimeSpan.FromSeconds(10));

        Result.Progress($"{name}: closed loop for {load.Duration.TotalSeconds}s");
        var closedLoop = await PhaseAsync(rig, serverCpu, () => rig.ClosedLoopAsync(load.Duration, record: true), load.Duration);
        Phase? fixedRate = null;
        if (load.Rate > 0)
        {
            Result.Progress($"{name}: fixed rate {load.Rate}/s for {load.Duration.TotalSeconds}s");
            fixedRate = await PhaseAsync(rig, serverCpu, () => rig.FixedRateAsync(load.Rate, load.Duration, record: true), load.Duration);
        }

        return new ServerRun(closedLoop, fixedRate, rig.ConnectErrors, peakRssKiB() / 1024);
    }

    /// <summary>
    /// One measured load. Server CPU counts from a quiet server until every acked message has reached its agent and
    /// the server is quiet again: Kefu's outbox consumers (bot, routing, reporting) work on after delivery, and that
    /// work belongs to these messages, not to the next phase.
    /// </summary>
    private static async Task<Phase> PhaseAsync(RelayRig rig, Func<double> serverCpu, Func<Task> run, TimeSpan duration)
    {
        await SettleAsync(serverCpu);
        var cpuBefore = serverCpu();
        var clientCpuBefore = Environment.CpuUsage.TotalTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        await run();
        var seconds = Math.Max(duration.TotalSeconds, clock.Elapsed.TotalSeconds);
        await rig.DrainAsync(TimeSpan.FromSeconds(15));
        var settle = await SettleAsync(serverCpu);
        var cpu = serverCpu() - cpuBefore;
        var msgsPerSecond = rig.Acked / seconds;
        double? msgsPerCpuSecond = cpu > 0 ? rig.Acked / cpu : null;
        var fields = new Dictionary<string, object?>
        {
            ["sent"] = rig.Sent,
            ["acked"] = rig.Acked,
            ["delivered"] = rig.Delivered,
            ["msgsPerSecond"] = Math.Round(msgsPerSecond, 1),
            ["serverCpuSeconds"] = Math.Round(cpu, 2),
            ["msgsPerServerCpuSecond"] = msgsPerCpuSecond is { } m ? Math.Round(m, 1) : null,
            ["serverCpuMsPerMessage"] = msgsPerCpuSecond is { } n ? Math.Round(1000 / n, 3) : null,
            ["loadGeneratorCpuSeconds"] = Math.Round(Environment.CpuUsage.TotalTime.TotalSeconds - clientCpuBefore, 2),
            ["sendErrors"] = rig.SendErrors,
            ["unackedAfterDrain"] = rig.Sent - rig.Acked - rig.SendErrors,
            ["undeliveredAfterDrain"] = rig.Outstanding,
            ["serverSettleSeconds"] = Math.Round(settle.TotalSeconds, 1),
        };
        foreach (var (k, v) in rig.AckLatency.Summary("sendToAck").Concat(rig.DeliveryLatency.Summary("sendToAgent")))
        {
            fields[k] = v;
        }

        return new Phase(msgsPerSecond, msgsPerCpuSecond, fields);
    }

    /// <summary>
    /// Waits (at most 15 s) until the server uses under a tenth of a core over half a second; returns how long that
    /// took. Idle Kefu stays well under it; on a machine shared with other work the server's own CPU is still its own.
    /// </summary>
    private static async Task<TimeSpan> SettleAsync(Func<double> serverCpu)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            var before = serverCpu();
            await Task.Delay(500);
            if (serverCpu() - before < 0.05)
            {
                break;
            }
        }

        return clock.Elapsed;
    }

    private static double? Ratio(double? numerator, double? denominator) =>
        numerator is > 0 && denominator is > 0 ? Math.Round(numerator.Value / denominator.Value, 3) : null;

    private sealed record Load(int Visitors, int Agents, TimeSpan Duration, TimeSpan Warmup, double Rate);

    private sealed record Phase(double MsgsPerSecond, double? MsgsPerCpuSecond, Dictionary<string, object?> Fields);

    private sealed record ServerRun(Phase ClosedLoop, Phase? FixedRate, int ConnectErrors, long PeakRssMiB)
    {
        public Dictionary<string, object?> Fields() => new()
        {
            ["connectErrors"] = ConnectErrors,
            ["peakRssMiB"] = PeakRssMiB,
            ["closedLoop"] = ClosedLoop.Fields,
            ["fixedRate"] = FixedRate?.Fields,
        };
    }
}
