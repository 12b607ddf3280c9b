using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Automation;

/// <summary>A workspace's automation rule; conditions and actions as JSON of <see cref="RuleCondition"/> and <see cref="RuleAction"/>.</summary>
internal sealed class AutomationRule
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public bool Enabled { get; set; } = true;
    public required string Trigger { get; set; }
    public string Sender { get; set; } = "visitor";
    public int IdleMinutes { get; set; }
    public string Match { get; set; } = "all";
    public string Conditions { get; set; } = "[]";
    public string Actions { get; set; } = "[]";

    /// <summary>The person who last saved it: the rule acts with their permissions, so it can do nothing they could not.</summary>
    public Guid ActorId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A macro: personal (<see cref="OwnerId"/> set) or shared with the workspace.</summary>
internal sealed class Macro
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? OwnerId { get; set; }
    public required string Name { get; set; }
    public string Actions { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A rule that ran for one event of one conversation. The unique key makes a replayed event (the outbox delivers at
/// least once) or a second idle sweep over the same quiet spell a no-op.
/// </summary>
internal sealed class AutomationRun
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid RuleId { get; set; }
    public Guid ConversationId { get; set; }
    public required string EventKey { get; set; }
    public DateTime RanAt { get; set; }
}

internal sealed class AutomationConfiguration : IEntityTypeConfiguration<AutomationRule>, IEntityTypeConfiguration<Macro>, IEntityTypeConfiguration<AutomationRun>
{
    public void Configure(EntityTypeBuilder<AutomationRule> builder)
    {
        builder.ToTable("AutomationRules");
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Trigger).HasMaxLength(32);
        builder.Property(r => r.Sender).HasMaxLength(16);
        builder.Property(r => r.Match).HasMaxLength(8);
        builder.Property(r => r.Conditions).HasMaxLength(20_000);
        builder.Property(r => r.Actions).HasMaxLength(20_000);
        builder.HasIndex(r => new { r.TenantId, r.Position });
    }

    public void Configure(EntityTypeBuilder<Macro> builder)
    {
        builder.ToTable("Macros");
        builder.Property(m => m.Name).HasMaxLength(100);
        builder.Property(m => m.Actions).HasMaxLength(20_000);
        builder.HasIndex(m => new { m.TenantId, m.OwnerId });
    }

    public void Configure(EntityTypeBuilder<AutomationRun> builder)
    {
        builder.ToTable("AutomationRuns");
        builder.Property(r => r.EventKey).HasMaxLength(64);
        builder.HasIndex(r => new { r.RuleId, r.ConversationId, r.EventKey }).IsUnique();
        builder.HasIndex(r => new { r.TenantId, r.RanAt });
    }
}
