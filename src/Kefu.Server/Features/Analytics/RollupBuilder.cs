namespace Kefu.Server.Features.Analytics;

/// <summary>
/// Sums facts into rollup rows (one per inbox, team and agent) and duration buckets: used to build an hour's stored
/// rollup and, on the same code, to read the hours not rolled up yet, so both always agree.
/// </summary>
internal static class RollupBuilder
{
    public static (List<ReportRollup> Rollups, List<ReportHistogram> Histograms) Build(Guid tenantId, IEnumerable<ConversationFact> facts)
    {
        var rollups = new Dictionary<(DateTime, Guid, Guid?, Guid?), ReportRollup>();
        var histograms = new Dictionary<(DateTime, Guid, Guid?, Guid?, DurationMetric, int), ReportHistogram>();
        foreach (var f in facts)
        {
            var key = (f.Hour, f.InboxId, f.TeamId, f.AgentId);
            if (!rollups.TryGetValue(key, out var rollup))
            {
                rollup = new ReportRollup { TenantId = tenantId, Hour = f.Hour, InboxId = f.InboxId, TeamId = f.TeamId, AgentId = f.AgentId };
                rollups.Add(key, rollup);
            }

            rollup.Add(f);
            foreach (var (metric, seconds) in Durations(f))
            {
                var bucket = Histogram.Bucket(seconds);
                var hkey = (f.Hour, f.InboxId, f.TeamId, f.AgentId, metric, bucket);
                if (!histograms.TryGetValue(hkey, out var h))
                {
                    h = new ReportHistogram
                    {
                        TenantId = tenantId, Hour = f.Hour, InboxId = f.InboxId, TeamId = f.TeamId, AgentId = f.AgentId, Metric = metric, Bucket = bucket,
                    };
                    histograms.Add(hkey, h);
                }

                h.Count++;
            }
        }

        return ([.. rollups.Values], [.. histograms.Values]);
    }

    /// <summary>The durations of a fact that percentiles are given of; the same conditions as the counters' averages.</summary>
    public static IEnumerable<(DurationMetric Metric, double Seconds)> Durations(ConversationFact f)
    {
        if (f.FirstResponseSeconds is { } response)
        {
            yield return (DurationMetric.FirstResponse, response);
        }

        if (f.Served)
        {
            yield return (DurationMetric.Wait, f.WaitSeconds);
        }

        if (f.Resolved && f.ResolutionSeconds is { } resolution)
        {
            yield return (DurationMetric.Resolution, resolution);
        }
    }
}
