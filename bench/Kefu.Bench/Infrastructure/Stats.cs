using System.Diagnostics;
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

/// <summary>Counts per whole second since it was made: acks, errors and live deliveries, thread-safe.</summary>
public sealed class Timeline
{
    private const int MaxSeconds = 3600;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly long[] _acks = new long[MaxSeconds];
    private readonly long[] _errors = new long[MaxSeconds];
    private readonly long[] _delivered = new long[MaxSeconds];

    /// <summary>Seconds since the timeline began.</summary>
    public double Now => Stopwatch.GetElapsedTime(_start).TotalSeconds;

    public void Ack() => Interlocked.Increment(ref _acks[Second()]);

    public void Error() => Interlocked.Increment(ref _errors[Second()]);

    public void Deliver() => Interlocked.Increment(ref _delivered[Second()]);

    public long[] Acks(int seconds) => _acks[..Math.Min(seconds, MaxSeconds)];

    public long[] Errors(int seconds) => _errors[..Math.Min(seconds, MaxSeconds)];

    public long[] Delivered(int seconds) => _delivered[..Math.Min(seconds, MaxSeconds)];

    /// <summary>
    /// Seconds from <paramref name="from"/> (on this timeline) to the start of the first whole second, at or after it,
    /// in which <paramref name="series"/> reached <paramref name="threshold"/>; -1 if it never did.
    /// </summary>
    public static double SecondsUntil(long[] series, double from, double threshold)
    {
        for (var s = (int)Math.Ceiling(from); s < series.Length; s++)
        {
            if (series[s] >= threshold)
            {
                return Math.Round(s + 1 - from, 1);
            }
        }

        return -1;
    }

    private int Second() => Math.Min(MaxSeconds - 1, (int)Stopwatch.GetElapsedTime(_start).TotalSeconds);
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
