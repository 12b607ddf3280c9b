using System.Diagnostics;
using Kefu.Bench.Infrastructure;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>sessions</c>: <c>--clients</c> concurrent clients each create new widget sessions in a closed loop
/// through <c>POST /api/v1/widget/sessions</c> (the widget's own call on a first page load: a new contact row, a
/// signed token) for <c>--duration</c> seconds after a <c>--warmup</c>. Reports sessions per second, latency,
/// errors and the server's CPU per session. <c>--resume true</c> sends each client's last token back, as a
/// returning visitor's widget does.
/// </summary>
public static class Sessions
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var clients = options.GetInt("clients", 32);
        var duration = TimeSpan.FromSeconds(options.GetInt("duration", 10));
        var warmup = TimeSpan.FromSeconds(options.GetInt("warmup", 3));
        var resume = options.GetString("resume") == "true";
        await using var server = await BenchServer.StartAsync(options);
        using var kefu = new KefuClient(server.Url);
        var key = await kefu.DemoWidgetKeyAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };

        Result.Progress($"warming up for {warmup.TotalSeconds} s");
        await LoopAsync(http, key, clients, warmup, resume, new Latency(), new Counters());

        var latency = new Latency();
        var counters = new Counters();
        var cpuBefore = server.CpuSeconds();
        var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        Result.Progress($"measuring for {duration.TotalSeconds} s with {clients} clients");
        await LoopAsync(http, key, clients, duration, resume, latency, counters);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = server.Process is null ? -1 : server.CpuSeconds() - cpuBefore;
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpuBefore;

        var result = new Dictionary<string, object>
        {
            ["scenario"] = "sessions",
            ["clients"] = clients,
            ["resume"] = resume,
            ["sessions"] = counters.Ok,
            ["errors"] = counters.Errors,
            ["sessionsPerSecond"] = Math.Round(counters.Ok / elapsed, 1),
            ["serverCpuSeconds"] = Math.Round(cpu, 2),
            ["serverCpuMsPerSession"] = cpu < 0 || counters.Ok == 0 ? -1 : Math.Round(cpu * 1000 / counters.Ok, 3),
            ["loadGeneratorCpuSeconds"] = Math.Round(benchCpu, 2),
        };
        foreach (var (name, value) in latency.Summary("latency"))
        {
            result[name] = value;
        }

        return Result.Print(result, counters.Errors == 0);
    }

    private static async Task LoopAsync(HttpClient http, string key, int clients, TimeSpan duration, bool resume, Latency latency, Counters counters)
    {
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            string? token = null;
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/v1/widget/sessions", new { key, token = resume ? token : null });
                    if (response.IsSuccessStatusCode)
                    {
                        token = (await response.Content.ReadFromJsonAsync<WidgetSession>(Wire.Json))!.Token;
                        latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        Interlocked.Increment(ref counters.Ok);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // counted below
                }

                Interlocked.Increment(ref counters.Errors);
            }
        }));
    }

    private sealed class Counters
    {
        public long Ok;
        public long Errors;
    }
}
