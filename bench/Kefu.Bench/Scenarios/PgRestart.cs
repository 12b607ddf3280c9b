using Kefu.Bench.Infrastructure;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>pg-restart</c>: Kefu on a PostgreSQL cluster of the bench's own, a fixed-rate relay load, and
/// PostgreSQL stopped (fast shutdown, every connection cut) at <c>--restart-at</c> for <c>--down</c> seconds, then
/// started again; Kefu is not restarted. Checks that sends during the outage are answered within a bound (with a
/// typed error, or an ack after commit), that every acked message is in the database (<c>lost</c> must be 0), and how
/// long after PostgreSQL accepts connections again the acked rate is back at 90 % of the target.
/// </summary>
public static class PgRestart
{
    private const string DatabaseName = "kefu_bench";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rate = options.GetDouble("rate", 500);
        var visitors = options.GetInt("visitors", 200);
        var agents = options.GetInt("agents", 10);
        var duration = TimeSpan.FromSeconds(options.GetInt("duration", 40));
        var restartAt = TimeSpan.FromSeconds(options.GetInt("restart-at", 15));
        var down = TimeSpan.FromSeconds(options.GetDouble("down", 5));

        await using var pg = await PostgresCluster.CreateAsync();
        Result.Progress($"PostgreSQL on 127.0.0.1:{pg.Port}");
        var environment = BenchServer.ServerEnvironment(options);
        environment["Kefu__Database__Provider"] = "Postgres";
        environment["Kefu__Database__ConnectionString"] = pg.ConnectionString(DatabaseName);
        await using var server = new ServerProcess(environment: environment);
        await server.StartAsync();
        using var client = new KefuClient(server.Url);
        Result.Progress($"connecting {visitors} visitors and {agents} agents to {server.Url}");
        await using var rig = await RelayRig.ConnectAsync(client, visitors, agents);
        await rig.FixedRateAsync(rate, TimeSpan.FromSeconds(5), record: false);
        await rig.DrainAsync(TimeSpan.FromSeconds(10));

        Result.Progress($"fixed rate {rate}/s for {duration.TotalSeconds}s; PostgreSQL stops at {restartAt.TotalSeconds}s for {down.TotalSeconds}s");
        var cpuBefore = server.CpuSeconds();
        var load = rig.FixedRateAsync(rate, duration, record: true);
        var timeline = rig.Timeline;
        await Task.Delay(restartAt);
        var stoppingAt = timeline.Now;
        await pg.StopAsync();
        var stoppedAt = timeline.Now;
        await Task.Delay(down);
        await pg.StartAsync();
        var upAt = timeline.Now;
        Result.Progress($"PostgreSQL stopped {stoppingAt:F1}–{stoppedAt:F1}s, accepting connections again at {upAt:F1}s");
        await load;
        await rig.DrainAsync(TimeSpan.FromSeconds(15));
        var cpu = server.CpuSeconds() - cpuBefore;

        var stored = (await pg.QueryAsync(DatabaseName, "SELECT \"ClientMessageId\" FROM \"Messages\"")).Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var lost = rig.AckedIds.Keys.Count(id => !stored.Contains(id));
        var seconds = (int)Math.Ceiling(timeline.Now);
        var acks = timeline.Acks(seconds);
        var recovery = Timeline.SecondsUntil(acks, upAt, 0.9 * rate);
        var answer = rig.AnswerLatency.Summary("answer");
        var healthy = await HealthyAsync(client);
        var ok = lost == 0 && recovery is >= 0 and <= 10 && healthy && answer["answerMaxMs"] <= 10_000;
        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "pg-restart",
            ["targetRate"] = rate,
            ["visitors"] = visitors,
            ["agents"] = agents,
            ["durationSeconds"] = duration.TotalSeconds,
            ["pgStopAt"] = Math.Round(stoppingAt, 1),
            ["pgDownSeconds"] = Math.Round(upAt - stoppedAt, 1),
            ["pgUpAt"] = Math.Round(upAt, 1),
            ["sent"] = rig.Sent,
            ["acked"] = rig.Acked,
            ["sendErrors"] = rig.SendErrors,
            ["errorsByCode"] = rig.ErrorsByCode.ToDictionary(kv => kv.Key, kv => kv.Value),
            ["unanswered"] = rig.Sent - rig.Acked - rig.SendErrors,
            ["lost"] = lost,
            ["recoverySeconds"] = recovery,
            ["answerMaxMs"] = answer["answerMaxMs"],
            ["answerP99Ms"] = answer["answerP99Ms"],
            ["undeliveredAfterDrain"] = rig.Outstanding,
            ["serverRestarted"] = false,
            ["healthyAfter"] = healthy,
            ["serverCpuSeconds"] = Math.Round(cpu, 2),
            ["serverPeakRssMiB"] = server.PeakRssKiB() / 1024,
            ["ackedPerSecond"] = acks,
            ["errorsPerSecond"] = timeline.Errors(seconds),
        }, ok);
    }

    /// <summary><c>/healthz</c> of the same process, which must answer again without a restart.</summary>
    internal static async Task<bool> HealthyAsync(KefuClient client)
    {
        using var http = new HttpClient { BaseAddress = client.Url, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await http.GetAsync("/healthz")).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
