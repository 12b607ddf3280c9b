using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Quality;

/// <summary>A workspace's scorecard; its items live in versions (<see cref="ScorecardVersion"/>), never changed in place.</summary>
internal sealed class Scorecard
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>Only this inbox's conversations; null for every inbox.</summary>
    public Guid? InboxId { get; set; }
    public bool Active { get; set; } = true;
    public int Version { get; set; }
    public Guid VersionId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One version of a scorecard's items, as JSON (<c>ScorecardItem[]</c>); scores keep the version they were made with.</summary>
internal sealed class ScorecardVersion
{
    public Guid Id { get; set; }
    public Guid ScorecardId { get; set; }
    public Guid TenantId { get; set; }
    public int Version { get; set; }
    public required string Items { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A resolved conversation's score by one scorecard version: at most one per (version, conversation).</summary>
internal sealed class QualityScore
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public Guid InboxId { get; set; }
    public Guid ScorecardId { get; set; }
    public Guid ScorecardVersionId { get; set; }
    public int Version { get; set; }

    /// <summary>The agent scored: the assignee when it was resolved, else the last agent who wrote.</summary>
    public Guid? AgentId { get; set; }

    /// <summary>With overrides applied; null when no item applied.</summary>
    public double? Score { get; set; }
    public double? AutoScore { get; set; }

    /// <summary>Item results as JSON (<c>ItemResultDto[]</c>), overrides included.</summary>
    public required string Items { get; set; }
    public DateTime ResolvedAt { get; set; }
    public DateTime ScoredAt { get; set; }

    /// <summary>A random number fixed at scoring: the review queue's sample orders by it, so it is random yet stable.</summary>
    public int SampleKey { get; set; }
    public string? CoachingNote { get; set; }
    public Guid? CoachedBy { get; set; }
    public DateTime? CoachedAt { get; set; }
}

/// <summary>
/// Background rescoring of one scorecard version over the workspace's resolved conversations. <see cref="Cursor"/> is the
/// resolve time up to which every conversation is scored; it is saved in the same transaction as each batch's scores, so a
/// restart continues where the last committed batch ended.
/// </summary>
internal sealed class QualityRescoreJob
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ScorecardId { get; set; }
    public Guid ScorecardVersionId { get; set; }
    public int Version { get; set; }

    /// <summary><c>pending</c>, <c>done</c> or <c>superseded</c> (a newer version took over).</summary>
    public required string Status { get; set; }
    public DateTime? Cursor { get; set; }
    public int Scored { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

internal static class RescoreStatus
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Superseded = "superseded";
}

internal sealed class ScorecardConfiguration : IEntityTypeConfiguration<Scorecard>
{
    public void Configure(EntityTypeBuilder<Scorecard> builder)
    {
        builder.ToTable("QualityScorecards");
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.HasIndex(s => s.TenantId);
    }
}

internal sealed class ScorecardVersionConfiguration : IEntityTypeConfiguration<ScorecardVersion>
{
    public void Configure(EntityTypeBuilder<ScorecardVersion> builder)
    {
        builder.ToTable("QualityScorecardVersions");
        builder.HasIndex(v => new { v.ScorecardId, v.Version }).IsUnique();
        builder.HasOne<Scorecard>().WithMany().HasForeignKey(v => v.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QualityScoreConfiguration : IEntityTypeConfiguration<QualityScore>
{
    public void Configure(EntityTypeBuilder<QualityScore> builder)
    {
        builder.ToTable("QualityScores");
        builder.Property(s => s.CoachingNote).HasMaxLength(4000);
        builder.HasIndex(s => new { s.ScorecardVersionId, s.ConversationId }).IsUnique();
        builder.HasIndex(s => new { s.TenantId, s.Score });
        builder.HasIndex(s => new { s.TenantId, s.SampleKey });
        builder.HasIndex(s => new { s.ConversationId });
        builder.HasIndex(s => new { s.AgentId, s.ScoredAt });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(s => s.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ScorecardVersion>().WithMany().HasForeignKey(s => s.ScorecardVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QualityRescoreJobConfiguration : IEntityTypeConfiguration<QualityRescoreJob>
{
    public void Configure(EntityTypeBuilder<QualityRescoreJob> builder)
    {
        builder.ToTable("QualityRescoreJobs");
        builder.Property(j => j.Status).HasMaxLength(20);
        builder.HasIndex(j => j.Status);
        builder.HasIndex(j => j.ScorecardId);
    }
}
