using System.Diagnostics;
using System.Text.Json;

namespace Kefu.IntegrationTests.Durability;

/// <summary>
/// Small runs of the bench's <c>crash</c> and <c>soak</c> scenarios (docs/benchmarks.md), so every CI
/// run proves that a SIGKILL loses no acknowledged message and that reconnects show no gap or
/// duplicate. They drive a real server process through the real protocol.
/// </summary>
[Trait("Category", "Durability")]
public sealed class BenchGuaranteesTests
{
    [Fact]
    public async Task Crash_SigkillMidBurst_LosesAndDuplicatesNothing()
    {
        var result = await RunBenchAsync("crash", "--messages", "200", "--visitors", "20");

        Assert.Equal(200, result.GetProperty("acked").GetInt32());
        Assert.Equal(0, result.GetProperty("lost").GetInt32());
        Assert.Equal(0, result.GetProperty("duplicated").GetInt32());
        Assert.Equal(0, result.GetProperty("agentMissing").GetInt32());
    }

    [Fact]
    public async Task Soak_DroppedSocketsAndRestarts_LeaveNoGapOrDuplicate()
    {
        var result = await RunBenchAsync("soak", "--cycles", "10", "--visitors", "10", "--restart-every", "5");

        Assert.Equal(2, result.GetProperty("restarts").GetInt32());
        Assert.True(result.GetProperty("sendsCutByDrops").GetInt32() > 0, "the drops must interrupt some sends, or the test proves nothing");
        Assert.Equal(0, result.GetProperty("gaps").GetInt64());
        Assert.Equal(0, result.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, result.GetProperty("unackedAtEnd").GetInt32());
    }

    /// <summary>Runs the built bench with <paramref name="args"/> and returns its RESULT line.</summary>
    internal static async Task<JsonElement> RunBenchAsync(params string[] args)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var bench = Path.Combine(RepoRoot(), "bench", "Kefu.Bench", "bin", configuration, "net10.0", "Kefu.Bench.dll");
        Assert.True(File.Exists(bench), $"build the solution first: {bench} is missing");
        var info = new ProcessStartInfo("dotnet", [bench, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync();
        var line = stdout.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        Assert.True(line is not null, "no RESULT line; stderr: " + await stderr);
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kefu.slnx not found above the test output.");
    }
}
