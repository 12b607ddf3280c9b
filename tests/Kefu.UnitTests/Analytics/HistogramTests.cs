using Kefu.Server.Features.Analytics;

namespace Kefu.UnitTests.Analytics;

public sealed class HistogramTests
{
    [Fact]
    public void Quantile_OfSummedBuckets_IsWithinTheBucketOfTheExactValue()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 5000).Select(_ => Math.Exp(random.NextDouble() * 9)).ToList(); // 1 s to about 2 hours
        var counts = values.GroupBy(Histogram.Bucket).ToDictionary(g => g.Key, g => g.Count());
        var sorted = values.Order().ToList();

        foreach (var q in new[] { 0.5, 0.9 })
        {
            var exact = sorted[(int)Math.Ceiling(q * sorted.Count) - 1];
            var bucket = Histogram.Bucket(exact);
            var low = bucket == 0 ? 0 : Histogram.Bounds[bucket - 1];
            var high = Histogram.Bounds[bucket];
            Assert.InRange(Histogram.Quantile(counts, q)!.Value, low, high);
        }
    }

    [Fact]
    public void Bucket_ABoundBelongsToTheNextBucket_AndNothingIsNull()
    {
        Assert.Equal(0, Histogram.Bucket(0));
        Assert.Equal(1, Histogram.Bucket(10));
        Assert.Equal(Histogram.Bounds.Length, Histogram.Bucket(1e9));
        Assert.Null(Histogram.Quantile(new Dictionary<int, int>(), 0.5));
    }
}
