using System.Diagnostics;
using Kefu.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>startup</c>: starts the server <c>--runs</c> times on a new data folder (migrations and the demo
/// workspace with its bot and FAQ are created) and as often on a folder that already holds them, and measures
/// what a visitor arriving right after a restart meets: process start → first 200 from <c>/healthz</c>, → first
/// widget session, the bot's first answer to a question sent at once, and the resident memory after
/// <c>--settle</c> seconds of quiet. Medians per kind of start.
/// </summary>
public static class Startup
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.Has("url"))
        {
            throw new InvalidOperationException("startup starts the server itself: run it without --url.");
        }

        var runs = options.GetInt("runs", 5);
        var settle = TimeSpan.FromSeconds(options.GetInt("settle", 10));
        var question = options.GetString("question", "When will my order ship?")!;
        var environment = BenchServer.ServerEnvironment(options);
        var serverDirectory = options.GetString("server-dir");

        // The seeded folder: one start creates the database, the demo workspace and its knowledge base.
        var seeded = Path.Combine(Path.GetTempPath(), "kefu-bench", "startup-" + Guid.NewGuid().ToString("N"));
        await using (var first = new ServerProcess(seeded, environment, serverDirectory))
        {
            await first.StartAsync();
        }

        var empty = new List<StartRun>();
        var existing = new List<StartRun>();
        for (var i = 0; i < runs; i++)
        {
            empty.Add(await MeasureAsync(null, environment, serverDirectory, question, settle, $"empty {i + 1}/{runs}"));
            existing.Add(await MeasureAsync(seeded, environment, serverDirectory, question, settle, $"seeded {i + 1}/{runs}"));
        }

        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "startup",
            ["runs"] = runs,
            ["settleSeconds"] = settle.TotalSeconds,
            ["empty"] = Summary(empty),
            ["seeded"] = Summary(existing),
        });
    }

    private static async Task<StartRun> MeasureAsync(
        string? dataDirectory, Dictionary<string, string> environment, string? serverDirectory, string question, TimeSpan settle, string label)
    {
        await using var server = new ServerProcess(dataDirectory, environment, serverDirectory) { HealthPollInterval = TimeSpan.FromMilliseconds(10) };
        await server.StartAsync();
        var healthz = server.ReadyAfter.TotalMilliseconds;
        var rssAtReady = server.RssKiB();

        // What the widget does on a page load: the key from the page, then a session.
        using var client = new KefuClient(server.Url);
        var session = await client.NewVisitorAsync(await client.DemoWidgetKeyAsync());
        var sessionMs = Stopwatch.GetElapsedTime(server.LaunchedAt).TotalMilliseconds;

        // The first question to the bot inbox, sent at once: before issue 11 it waited for the model to train.
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hub = client.VisitorHub(session.Token);
        hub.On<MessageDto>("MessageCreated", m =>
        {
            if (m.Sender == "bot")
            {
                answered.TrySetResult();
            }
        });
        await hub.StartAsync();
        var sent = Stopwatch.GetTimestamp();
        var result = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSend(null, "startup-q", question, null));
        if (!result.Ok)
        {
            throw new InvalidOperationException($"The first question was refused: {result.Error?.Code}.");
        }

        await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var botMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        await hub.DisposeAsync();

        await Task.Delay(settle);
        var rss = server.RssKiB();
        var run = new StartRun(healthz, sessionMs, botMs, rssAtReady / 1024.0, rss / 1024.0);
        Result.Progress($"{label}: healthz {run.HealthzMs:F0} ms, session {run.SessionMs:F0} ms, first bot answer {run.BotAnswerMs:F0} ms, RSS {run.IdleRssMiB:F1} MiB");
        await server.StopAsync();
        if (dataDirectory is null)
        {
            Directory.Delete(server.DataDirectory, recursive: true);
        }

        return run;
    }

    private static Dictionary<string, object> Summary(List<StartRun> runs) => new()
    {
        ["healthzMs"] = Median(runs.Select(r => r.HealthzMs)),
        ["firstSessionMs"] = Median(runs.Select(r => r.SessionMs)),
        ["firstBotAnswerMs"] = Median(runs.Select(r => r.BotAnswerMs)),
        ["rssAtReadyMiB"] = Median(runs.Select(r => r.RssAtReadyMiB)),
        ["idleRssMiB"] = Median(runs.Select(r => r.IdleRssMiB)),
        ["healthzMsEach"] = runs.Select(r => Math.Round(r.HealthzMs)).ToArray(),
        ["idleRssMiBEach"] = runs.Select(r => Math.Round(r.IdleRssMiB, 1)).ToArray(),
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return Math.Round(sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, 1);
    }

    private sealed record StartRun(double HealthzMs, double SessionMs, double BotAnswerMs, double RssAtReadyMiB, double IdleRssMiB);
}
