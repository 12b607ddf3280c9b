using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>One row of the audit trail. Written once; the database refuses updates (see the migration's triggers).</summary>
internal sealed class AuditEntry
{
    /// <summary>Increasing: the order entries were written in.</summary>
    public long Id { get; init; }

    /// <summary>Null for events that cannot be tied to a workspace (a failed sign-in with an unknown e-mail).</summary>
    public Guid? TenantId { get; init; }

    public DateTime OccurredAt { get; init; }
    public Guid? ActorId { get; init; }
    public string? ActorName { get; init; }
    public required string Action { get; init; }
    public string? TargetType { get; init; }
    public string? TargetId { get; init; }
    public string? Detail { get; init; }
    public AuditOutcome Outcome { get; init; }
    public string? ClientIp { get; init; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(e => e.ActorName).HasMaxLength(100);
        builder.Property(e => e.Action).HasMaxLength(60);
        builder.Property(e => e.TargetType).HasMaxLength(40);
        builder.Property(e => e.TargetId).HasMaxLength(100);
        builder.Property(e => e.Detail).HasMaxLength(500);
        builder.Property(e => e.Outcome).HasMaxLength(20);
        builder.Property(e => e.ClientIp).HasMaxLength(45);
        builder.HasIndex(e => new { e.TenantId, e.OccurredAt });
        builder.HasIndex(e => new { e.TenantId, e.Action, e.OccurredAt });
        builder.HasIndex(e => e.OccurredAt);
    }
}
