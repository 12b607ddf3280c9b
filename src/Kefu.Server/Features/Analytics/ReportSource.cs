using System.Linq.Expressions;
using System.Reflection;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary>Counters summed for one group of a report (an hour, or an agent and team), with the group's key.</summary>
internal sealed class Summed : RollupCounters
{
    public DateTime Hour { get; set; }
    public Guid? AgentId { get; set; }
    public Guid? TeamId { get; set; }
}

/// <summary>Duration bucket counts of one agent and team.</summary>
internal sealed record BucketCount(Guid? AgentId, Guid? TeamId, DurationMetric Metric, int Bucket, int Count);

/// <summary>
/// What every report reads: the stored rollups of the range's closed, clean hours, plus the facts of the hours not
/// rolled up (the current hour, and a closed hour changed since its last rebuild, until the next pass), summed by the
/// same <see cref="RollupCounters.Add(ConversationFact)"/>. A tag filter has no rollup: it reads the facts of the range.
/// </summary>
internal sealed class ReportSource(KefuDbContext db, ReportScope scope, DateTime now)
{
    private List<DateTime>? _live;
    private List<ConversationFact>? _facts;

    /// <summary>Counters per hour of the range.</summary>
    public Task<List<Summed>> ByHourAsync(CancellationToken cancellationToken) =>
        SumAsync(r => r.Hour, f => (f.Hour, null, null), cancellationToken);

    /// <summary>Counters per agent (last holder) and team.</summary>
    public Task<List<Summed>> ByHolderAsync(CancellationToken cancellationToken) =>
        SumAsync(r => new { r.AgentId, r.TeamId }, f => (default, f.AgentId, f.TeamId), cancellationToken);

    /// <summary>
    /// Duration buckets: per agent and team when <paramref name="perHolder"/>, else summed over them (null keys), and of
    /// one <paramref name="metric"/> or all. Grouping by fewer columns and reading one metric is most of a report's time
    /// on large ranges (docs/benchmarks.md, "Reports"), so each report asks for no more than it shows.
    /// </summary>
    public async Task<List<BucketCount>> BucketsAsync(bool perHolder, DurationMetric? metric, CancellationToken cancellationToken)
    {
        var live = await LiveHoursAsync(cancellationToken);
        List<BucketCount> stored = [];
        if (scope.Tag is null)
        {
            var rows = Filter(db.ReportHistograms.AsNoTracking(), scope).Where(h => !EF.Parameter(live).Contains(h.Hour));
            if (metric is { } only)
            {
                rows = rows.Where(h => h.Metric == only);
            }

            stored = perHolder
                ? await rows.GroupBy(h => new { h.AgentId, h.TeamId, h.Metric, h.Bucket })
                    .Select(g => new BucketCount(g.Key.AgentId, g.Key.TeamId, g.Key.Metric, g.Key.Bucket, g.Sum(h => h.Count))).ToListAsync(cancellationToken)
                : await rows.GroupBy(h => new { h.Metric, h.Bucket })
                    .Select(g => new BucketCount(null, null, g.Key.Metric, g.Key.Bucket, g.Sum(h => h.Count))).ToListAsync(cancellationToken);
        }

        var fromFacts = (await FactsAsync(cancellationToken))
            .SelectMany(f => RollupBuilder.Durations(f).Where(d => metric is null || d.Metric == metric)
                .Select(d => (AgentId: perHolder ? f.AgentId : null, TeamId: perHolder ? f.TeamId : null, d.Metric, Bucket: Histogram.Bucket(d.Seconds))))
            .GroupBy(x => x).Select(g => new BucketCount(g.Key.AgentId, g.Key.TeamId, g.Key.Metric, g.Key.Bucket, g.Count()));
        return [.. stored.Concat(fromFacts)];
    }

    private async Task<List<Summed>> SumAsync<TKey>(
        Expression<Func<ReportRollup, TKey>> key, Func<ConversationFact, (DateTime, Guid?, Guid?)> factKey,
        CancellationToken cancellationToken)
    {
        var live = await LiveHoursAsync(cancellationToken);
        var stored = scope.Tag is not null ? [] : await Filter(db.ReportRollups.AsNoTracking(), scope).Where(r => !EF.Parameter(live).Contains(r.Hour))
            .GroupBy(key).Select(Sums<TKey>()).ToListAsync(cancellationToken);
        foreach (var group in (await FactsAsync(cancellationToken)).GroupBy(factKey))
        {
            var sum = new Summed { Hour = group.Key.Item1, AgentId = group.Key.Item2, TeamId = group.Key.Item3 };
            foreach (var fact in group)
            {
                sum.Add(fact);
            }

            stored.Add(sum);
        }

        return stored;
    }

    /// <summary>The hours read from facts: the current one and those marked dirty, within the range (all of it for a tag).</summary>
    private async Task<List<DateTime>> LiveHoursAsync(CancellationToken cancellationToken)
    {
        if (_live is null)
        {
            var current = FactTimeline.HourOf(now);
            _live = await db.ReportDirtyHours.AsNoTracking()
                .Where(d => d.TenantId == scope.TenantId && d.Hour >= scope.From && d.Hour < scope.To && d.Hour != current)
                .Select(d => d.Hour).ToListAsync(cancellationToken);
            if (current >= scope.From && current < scope.To)
            {
                _live.Add(current);
            }
        }

        return _live;
    }

    private async Task<List<ConversationFact>> FactsAsync(CancellationToken cancellationToken)
    {
        if (_facts is null)
        {
            var live = await LiveHoursAsync(cancellationToken);
            var facts = Filter(db.ConversationFacts.AsNoTracking(), scope);
            if (scope.Tag is { } tag)
            {
                var padded = " " + tag + " ";
                facts = facts.Where(f => (" " + f.Tags + " ").Contains(padded));
            }
            else
            {
                facts = facts.Where(f => EF.Parameter(live).Contains(f.Hour));
            }

            _facts = live.Count == 0 && scope.Tag is null ? [] : await facts.ToListAsync(cancellationToken);
        }

        return _facts;
    }

    /// <summary>The scope's workspace, range, inboxes, team and agent on any report row.</summary>
    public static IQueryable<T> Filter<T>(IQueryable<T> rows, ReportScope scope) where T : class, IReportRow
    {
        rows = rows.Where(r => r.TenantId == scope.TenantId && r.Hour >= scope.From && r.Hour < scope.To);
        if (scope.Inboxes is { } inboxes)
        {
            rows = rows.Where(r => EF.Parameter(inboxes).Contains(r.InboxId));
        }

        if (scope.Team is { } team)
        {
            rows = rows.Where(r => r.TeamId == team);
        }

        if (scope.Agent is { } agent)
        {
            rows = rows.Where(r => r.AgentId == agent);
        }

        return rows;
    }

    /// <summary><c>g =&gt; new Summed { Conversations = g.Sum(r =&gt; r.Conversations), … }</c> for every counter, built once per key type.</summary>
    private static Expression<Func<IGrouping<TKey, ReportRollup>, Summed>> Sums<TKey>() => SumsCache<TKey>.Value;

    private static class SumsCache<TKey>
    {
        public static readonly Expression<Func<IGrouping<TKey, ReportRollup>, Summed>> Value = Build();

        private static Expression<Func<IGrouping<TKey, ReportRollup>, Summed>> Build()
        {
            var g = Expression.Parameter(typeof(IGrouping<TKey, ReportRollup>), "g");
            var bindings = new List<MemberBinding>();
            foreach (var property in typeof(RollupCounters).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var r = Expression.Parameter(typeof(ReportRollup), "r");
                var selector = Expression.Lambda(Expression.Property(r, property), r);
                var sum = Expression.Call(typeof(Enumerable), nameof(Enumerable.Sum), [typeof(ReportRollup)], g, selector);
                bindings.Add(Expression.Bind(typeof(Summed).GetProperty(property.Name)!, sum));
            }

            var keyType = typeof(TKey);
            var gKey = Expression.Property(g, nameof(IGrouping<TKey, ReportRollup>.Key));
            if (keyType == typeof(DateTime))
            {
                bindings.Add(Expression.Bind(typeof(Summed).GetProperty(nameof(Summed.Hour))!, gKey));
            }
            else
            {
                bindings.Add(Expression.Bind(typeof(Summed).GetProperty(nameof(Summed.AgentId))!, Expression.Property(gKey, nameof(Summed.AgentId))));
                bindings.Add(Expression.Bind(typeof(Summed).GetProperty(nameof(Summed.TeamId))!, Expression.Property(gKey, nameof(Summed.TeamId))));
            }

            return Expression.Lambda<Func<IGrouping<TKey, ReportRollup>, Summed>>(Expression.MemberInit(Expression.New(typeof(Summed)), bindings), g);
        }
    }
}

/// <summary>The columns a report filters on, shared by facts, rollups and histograms.</summary>
internal interface IReportRow
{
    Guid TenantId { get; }
    DateTime Hour { get; }
    Guid InboxId { get; }
    Guid? TeamId { get; }
    Guid? AgentId { get; }
}
