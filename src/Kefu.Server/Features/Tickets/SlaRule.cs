using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// An SLA policy for the tickets of one tag or of one inbox, for every priority; it wins over the priority's policy
/// (<see cref="SlaPolicyResolver"/>: a tag rule, then an inbox rule, then the priority's).
/// </summary>
internal sealed class SlaRule
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The tag it applies to (lower case); null for an inbox rule.</summary>
    public string? Tag { get; set; }

    /// <summary>The inbox it applies to; null for a tag rule.</summary>
    public Guid? InboxId { get; set; }
    public int? FirstReplyMinutes { get; set; }
    public int? NextReplyMinutes { get; set; }
    public int? ResolutionMinutes { get; set; }
    public string BusinessHours { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string Holidays { get; set; } = "";
    public bool UseInboxHours { get; set; }
    public int WarnBeforeMinutes { get; set; } = 30;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public SlaRuleDto ToDto() => new(Id, Tag, InboxId, FirstReplyMinutes, NextReplyMinutes, ResolutionMinutes, BusinessHours, TimeZone, Holidays, UseInboxHours, WarnBeforeMinutes);
}

internal sealed class SlaRuleConfiguration : IEntityTypeConfiguration<SlaRule>
{
    public void Configure(EntityTypeBuilder<SlaRule> builder)
    {
        builder.ToTable("SlaRules");
        builder.Property(r => r.Tag).HasMaxLength(TicketRules.MaxTagLength);
        builder.Property(r => r.BusinessHours).HasMaxLength(500);
        builder.Property(r => r.TimeZone).HasMaxLength(64);
        builder.Property(r => r.Holidays).HasMaxLength(4000);
        // One rule per tag and one per inbox (NULLs do not collide, so tag rules and inbox rules share the table).
        builder.HasIndex(r => new { r.TenantId, r.Tag }).IsUnique();
        builder.HasIndex(r => new { r.TenantId, r.InboxId }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Inbox>().WithMany().HasForeignKey(r => r.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
