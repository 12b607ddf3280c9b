using System.Diagnostics;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Counters of this node's router since start: assignments, decision latency (engine choice plus the claim's
/// statements, before the shared commit) and commit time. Read by <c>GET /api/v1/routing/stats</c> and the route bench.
/// </summary>
internal sealed class RoutingStats
{
    private const int MaxSamples = 200_000;
    private readonly Lock _lock = new();
    private readonly List<double> _decisionMillis = [];
    private readonly List<double> _commitMillis = [];
    private long _assignments;
    private long _firstAt;
    private long _lastAt;

    public void Assigned(double decisionMillis)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _assignments++;
            if (_firstAt == 0)
            {
                _firstAt = now;
            }

            _lastAt = now;
            if (_decisionMillis.Count < MaxSamples)
            {
                _decisionMillis.Add(decisionMillis);
            }
        }
    }

    /// <summary>Counts the pass start too, so the rate covers the whole pass, not just between first and last claim.</summary>
    public void PassStarted()
    {
        lock (_lock)
        {
            if (_firstAt == 0)
            {
                _firstAt = Stopwatch.GetTimestamp();
            }
        }
    }

    public void Committed(double millis)
    {
        lock (_lock)
        {
            if (_commitMillis.Count < MaxSamples)
            {
                _commitMillis.Add(millis);
            }
        }
    }

    public RoutingStatsDto Snapshot()
    {
        lock (_lock)
        {
            var seconds = _assignments == 0 ? 0 : Stopwatch.GetElapsedTime(_firstAt, _lastAt).TotalSeconds;
            return new RoutingStatsDto(
                _assignments, seconds > 0 ? Math.Round(_assignments / seconds, 1) : 0,
                Percentile(_decisionMillis, 0.50), Percentile(_decisionMillis, 0.99), Percentile(_commitMillis, 0.99), Math.Round(seconds, 3));
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _assignments = _firstAt = _lastAt = 0;
            _decisionMillis.Clear();
            _commitMillis.Clear();
        }
    }

    private static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return 0;
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 3);
    }
}

/// <summary>Router counters since start (or the last reset).</summary>
/// <param name="Assignments">Conversations assigned by routing passes.</param>
/// <param name="AssignmentsPerSecond">Assignments divided by the time from the first pass start to the last assignment.</param>
/// <param name="P50Millis">Median decision latency: engine choice plus claim statements.</param>
/// <param name="P99Millis">99th percentile decision latency.</param>
/// <param name="CommitP99Millis">99th percentile time of one group commit of claims.</param>
/// <param name="Seconds">Time the rate is measured over.</param>
public sealed record RoutingStatsDto(long Assignments, double AssignmentsPerSecond, double P50Millis, double P99Millis, double CommitP99Millis, double Seconds);
