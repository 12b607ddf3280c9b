using Kefu.Server.Features.Analytics.Contracts;

namespace Kefu.Server.Features.Analytics;

/// <summary>Rates, averages and percentiles from summed counters and buckets: the same arithmetic for every report.</summary>
internal static class ReportMath
{
    public static ReportMetrics Metrics(RollupCounters c, IEnumerable<BucketCount> buckets)
    {
        var byMetric = buckets.GroupBy(b => b.Metric).ToDictionary(
            g => g.Key, g => (IReadOnlyDictionary<int, int>)g.GroupBy(b => b.Bucket).ToDictionary(b => b.Key, b => b.Sum(x => x.Count)));
        IReadOnlyDictionary<int, int> Of(DurationMetric m) => byMetric.GetValueOrDefault(m) ?? new Dictionary<int, int>();
        return new ReportMetrics(
            c.Conversations, Ratio(c.BotContained, c.BotInvolved), c.HandedOff,
            Histogram.Quantile(Of(DurationMetric.FirstResponse), 0.5), Histogram.Quantile(Of(DurationMetric.FirstResponse), 0.9), Mean(c.FirstResponseSeconds, c.Responded),
            Mean(c.WaitSeconds, c.Waited), Histogram.Quantile(Of(DurationMetric.Wait), 0.5), Histogram.Quantile(Of(DurationMetric.Resolution), 0.5),
            Mean(c.HandlingSeconds, c.Handled), c.Resolved, c.Reopened, c.Transfers,
            c.Abandoned, Ratio(c.Abandoned, c.Queued), Mean(c.AbandonedWaitSeconds, c.Abandoned),
            Ratio(c.CsatSatisfied, c.CsatAnswers), c.CsatAnswers == 0 ? null : Math.Round((double)c.CsatScoreSum / c.CsatAnswers, 2), c.CsatAnswers,
            c.NpsAnswers == 0 ? null : Math.Round(100.0 * (c.NpsPromoters - c.NpsDetractors) / c.NpsAnswers, 1), c.NpsAnswers);
    }

    public static HolderReportRow Holder(Guid? id, string? name, RollupCounters c, IEnumerable<BucketCount> buckets)
    {
        var response = buckets.Where(b => b.Metric == DurationMetric.FirstResponse).GroupBy(b => b.Bucket).ToDictionary(g => g.Key, g => g.Sum(b => b.Count));
        return new HolderReportRow(id, name, c.Conversations, c.Resolved, Histogram.Quantile(response, 0.5), Mean(c.FirstResponseSeconds, c.Responded),
            Mean(c.HandlingSeconds, c.Handled), c.Transfers, Ratio(c.CsatSatisfied, c.CsatAnswers), c.CsatAnswers);
    }

    public static RollupCounters Total(IEnumerable<RollupCounters> rows)
    {
        var total = new RollupCounters();
        foreach (var row in rows)
        {
            total.Add(row);
        }

        return total;
    }

    public static double? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    public static double? Mean(double sum, int count) => count == 0 ? null : Math.Round(sum / count, 1);
}
