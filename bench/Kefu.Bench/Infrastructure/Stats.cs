using System.Text.Json;

namespace Kefu.Bench.Infrastructure;

/// <summary>Latency samples in milliseconds, thread-safe, with percentiles.</summary>
public sealed class Latency
{
    private readonly List<double> _samples = [];

    public int Count
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
        }
    }

    public Dictionary<string, double> Summary(string prefix)
    {
        double[] sorted;
        lock (_samples)
        {
            sorted = [.. _samples];
        }

        Array.Sort(sorted);
        double At(double q) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)], 2);
        return new Dictionary<string, double>
        {
            [prefix + "P50Ms"] = At(0.50),
            [prefix + "P95Ms"] = At(0.95),
            [prefix + "P99Ms"] = At(0.99),
            [prefix + "MaxMs"] = sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 2),
        };
    }
}

/// <summary>The one machine-readable line every scenario ends with.</summary>
public static class Result
{
    public static int Print(object result, bool success = true)
    {
        Console.Out.WriteLine("RESULT " + JsonSerializer.Serialize(result, Wire.Json));
        return success ? 0 : 1;
    }

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

/// <summary>Runs async work over a collection with bounded parallelism.</summary>
public static class Parallelism
{
    public static Task ForEachAsync<T>(IEnumerable<T> items, int degree, Func<T, Task> body) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = degree }, async (item, _) => await body(item));
}
