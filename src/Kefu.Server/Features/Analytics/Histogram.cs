namespace Kefu.Server.Features.Analytics;

/// <summary>
/// Fixed duration buckets (seconds), finer where service levels are set (the first minutes) and coarser later, so
/// hourly rows can be summed over any range and still give medians and 90th percentiles: the value is interpolated
/// inside its bucket, within the bucket's width of the exact one (ADR 0021).
/// </summary>
internal static class Histogram
{
    /// <summary>Upper bounds of each bucket; the last bucket is open.</summary>
    public static readonly double[] Bounds =
    [
        10, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400, 21600,
        28800, 43200, 86400, 172800, 345600, 604800,
    ];

    /// <summary>The bucket of a duration.</summary>
    public static int Bucket(double seconds)
    {
        var i = Array.BinarySearch(Bounds, seconds);
        return i >= 0 ? i + 1 : ~i; // a value equal to a bound belongs to the next bucket: bounds are exclusive upper ends
    }

    /// <summary>The <paramref name="quantile"/> (0–1) of bucket counts, linearly interpolated inside its bucket; null when empty.</summary>
    public static double? Quantile(IReadOnlyDictionary<int, int> counts, double quantile)
    {
        var total = counts.Values.Sum(c => (long)c);
        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        long seen = 0;
        foreach (var (bucket, count) in counts.Where(c => c.Value > 0).OrderBy(c => c.Key))
        {
            if (seen + count >= rank)
            {
                var low = bucket == 0 ? 0 : Bounds[Math.Min(bucket, Bounds.Length) - 1];
                var high = bucket < Bounds.Length ? Bounds[bucket] : low * 2; // the open bucket: up to twice its start
                return Math.Round(low + ((high - low) * ((rank - seen) / count)), 1);
            }

            seen += count;
        }

        return null;
    }
}
