using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// The sums of one hour's conversations (by the hour they started) of one inbox, team and agent: what a report over a
/// range adds up instead of reading every conversation. Rebuilt from <see cref="ConversationFact"/> rows by
/// <see cref="RefreshRollups"/>, never edited in place, so it always equals a recomputation.
/// </summary>
internal sealed class ReportRollup : RollupCounters, IReportRow
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTime Hour { get; set; }
    public Guid InboxId { get; set; }
    public Guid? TeamId { get; set; }
    public Guid? AgentId { get; set; }
}

/// <summary>The additive counters a rollup row holds; a report's totals are the same fields summed.</summary>
internal class RollupCounters
{
    public int Conversations { get; set; }
    public int BotInvolved { get; set; }
    public int BotContained { get; set; }
    public int HandedOff { get; set; }
    public int Queued { get; set; }
    public int Abandoned { get; set; }
    public double AbandonedWaitSeconds { get; set; }
    public int Waited { get; set; }
    public double WaitSeconds { get; set; }
    public int Responded { get; set; }
    public double FirstResponseSeconds { get; set; }
    public int Resolved { get; set; }
    public double ResolutionSeconds { get; set; }
    public int Handled { get; set; }
    public double HandlingSeconds { get; set; }
    public int Reopened { get; set; }
    public int Transfers { get; set; }
    public int VisitorMessages { get; set; }
    public int AgentMessages { get; set; }
    public int CsatAnswers { get; set; }
    public int CsatSatisfied { get; set; }
    public int CsatScoreSum { get; set; }
    public int NpsAnswers { get; set; }
    public int NpsPromoters { get; set; }
    public int NpsDetractors { get; set; }

    /// <summary>Adds one conversation's contribution: the one definition of what each counter counts.</summary>
    public void Add(ConversationFact f)
    {
        Conversations++;
        BotInvolved += f.BotInvolved ? 1 : 0;
        BotContained += f.BotInvolved && f.HandedOffAt is null && !f.ReachedAgent ? 1 : 0;
        HandedOff += f.HandedOffAt is null ? 0 : 1;
        Queued += f.QueuedAt is null ? 0 : 1;
        Abandoned += f.Abandoned ? 1 : 0;
        AbandonedWaitSeconds += f.Abandoned ? f.AbandonedAfterSeconds ?? 0 : 0;
        Waited += f.Served ? 1 : 0;
        WaitSeconds += f.Served ? f.WaitSeconds : 0;
        Responded += f.FirstResponseSeconds is null ? 0 : 1;
        FirstResponseSeconds += f.FirstResponseSeconds ?? 0;
        Resolved += f.Resolved ? 1 : 0;
        ResolutionSeconds += f.Resolved ? f.ResolutionSeconds ?? 0 : 0;
        Handled += f.ReachedAgent ? 1 : 0;
        HandlingSeconds += f.HandlingSeconds;
        Reopened += f.Reopens > 0 ? 1 : 0;
        Transfers += f.Transfers;
        VisitorMessages += f.VisitorMessages;
        AgentMessages += f.AgentMessages;
        CsatAnswers += f.CsatScore is null ? 0 : 1;
        CsatSatisfied += f.CsatScore >= 4 ? 1 : 0;
        CsatScoreSum += f.CsatScore ?? 0;
        NpsAnswers += f.NpsScore is null ? 0 : 1;
        NpsPromoters += f.NpsScore >= 9 ? 1 : 0;
        NpsDetractors += f.NpsScore <= 6 ? 1 : 0;
    }

    /// <summary>Adds another set of counters (rows of several hours, inboxes or agents).</summary>
    public void Add(RollupCounters o)
    {
        Conversations += o.Conversations;
        BotInvolved += o.BotInvolved;
        BotContained += o.BotContained;
        HandedOff += o.HandedOff;
        Queued += o.Queued;
        Abandoned += o.Abandoned;
        AbandonedWaitSeconds += o.AbandonedWaitSeconds;
        Waited += o.Waited;
        WaitSeconds += o.WaitSeconds;
        Responded += o.Responded;
        FirstResponseSeconds += o.FirstResponseSeconds;
        Resolved += o.Resolved;
        ResolutionSeconds += o.ResolutionSeconds;
        Handled += o.Handled;
        HandlingSeconds += o.HandlingSeconds;
        Reopened += o.Reopened;
        Transfers += o.Transfers;
        VisitorMessages += o.VisitorMessages;
        AgentMessages += o.AgentMessages;
        CsatAnswers += o.CsatAnswers;
        CsatSatisfied += o.CsatSatisfied;
        CsatScoreSum += o.CsatScoreSum;
        NpsAnswers += o.NpsAnswers;
        NpsPromoters += o.NpsPromoters;
        NpsDetractors += o.NpsDetractors;
    }
}

/// <summary>
/// How many of one hour's conversations of one inbox, team and agent fell in one bucket of a duration
/// (<see cref="Histogram"/>): medians and 90th percentiles over any range come from summed buckets, as Prometheus does.
/// </summary>
internal sealed class ReportHistogram : IReportRow
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTime Hour { get; set; }
    public Guid InboxId { get; set; }
    public Guid? TeamId { get; set; }
    public Guid? AgentId { get; set; }
    public DurationMetric Metric { get; set; }
    public int Bucket { get; set; }
    public int Count { get; set; }
}

/// <summary>The durations reports give percentiles of.</summary>
internal enum DurationMetric
{
    FirstResponse = 0,
    Wait = 1,
    Resolution = 2,
}

/// <summary>
/// An hour whose facts changed since its rollup was built. The consumer raises <see cref="Version"/> on every change;
/// the refresh deletes the mark only at the version it read, so a change during a refresh is never lost.
/// </summary>
internal sealed class ReportDirtyHour
{
    public Guid TenantId { get; set; }
    public DateTime Hour { get; set; }
    public long Version { get; set; }
}

internal sealed class ReportRollupConfiguration :
    IEntityTypeConfiguration<ReportRollup>, IEntityTypeConfiguration<ReportHistogram>, IEntityTypeConfiguration<ReportDirtyHour>
{
    public void Configure(EntityTypeBuilder<ReportRollup> builder)
    {
        builder.ToTable("ReportRollups");
        builder.HasIndex(r => new { r.TenantId, r.Hour });
    }

    public void Configure(EntityTypeBuilder<ReportHistogram> builder)
    {
        builder.ToTable("ReportHistograms");
        builder.HasIndex(r => new { r.TenantId, r.Hour });
    }

    public void Configure(EntityTypeBuilder<ReportDirtyHour> builder)
    {
        builder.ToTable("ReportDirtyHours");
        builder.HasKey(d => new { d.TenantId, d.Hour });
    }
}
