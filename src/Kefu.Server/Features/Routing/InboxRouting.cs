using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Routing settings of one inbox. An inbox without a row routes <see cref="AssignmentMode.Manual"/>: one shared
/// queue that agents take from, the behaviour before routing existed.
/// </summary>
internal sealed class InboxRouting
{
    public Guid InboxId { get; set; }
    public Guid TenantId { get; set; }
    public RoutingStrategy Strategy { get; set; } = RoutingStrategy.RoundRobin;
    public AssignmentMode Mode { get; set; } = AssignmentMode.Manual;
    public int OfferTimeoutSeconds { get; set; } = 30;

    /// <summary>Skills every agent of this inbox needs, as in <see cref="AgentProfile.Skills"/>.</summary>
    public string RequiredSkills { get; set; } = "";

    /// <summary>Only members of this team are routed to; null means every agent of the workspace.</summary>
    public Guid? TeamId { get; set; }

    /// <summary>After this many minutes of waiting the conversation also goes to <see cref="OverflowTeamId"/>; 0 = never.</summary>
    public int OverflowAfterMinutes { get; set; }
    public Guid? OverflowTeamId { get; set; }

    /// <summary>A returning visitor goes back to their previous agent when that agent can take them.</summary>
    public bool ReturnToPreviousAgent { get; set; } = true;

    /// <summary>Contact tags that put a visitor first in the queue (space separated).</summary>
    public string VipTags { get; set; } = "vip";

    /// <summary>IANA time zone of <see cref="BusinessHours"/> and <see cref="Holidays"/>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Opening hours in <see cref="WeeklyHours"/> syntax; empty means always open.</summary>
    public string BusinessHours { get; set; } = "";

    /// <summary>Closed dates, <c>yyyy-MM-dd</c>, space separated, in <see cref="TimeZone"/>.</summary>
    public string Holidays { get; set; } = "";

    public static InboxRouting Default(Guid tenantId, Guid inboxId) => new() { TenantId = tenantId, InboxId = inboxId };
}

internal sealed class InboxRoutingConfiguration : IEntityTypeConfiguration<InboxRouting>
{
    public void Configure(EntityTypeBuilder<InboxRouting> builder)
    {
        builder.HasKey(r => r.InboxId);
        builder.Property(r => r.Strategy).HasMaxLength(20);
        builder.Property(r => r.Mode).HasMaxLength(20);
        builder.Property(r => r.RequiredSkills).HasMaxLength(1000);
        builder.Property(r => r.VipTags).HasMaxLength(500);
        builder.Property(r => r.TimeZone).HasMaxLength(100);
        builder.Property(r => r.BusinessHours).HasMaxLength(1000);
        builder.Property(r => r.Holidays).HasMaxLength(4000);
        builder.HasOne<Inbox>().WithOne().HasForeignKey<InboxRouting>(r => r.InboxId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Team>().WithMany().HasForeignKey(r => r.OverflowTeamId).OnDelete(DeleteBehavior.SetNull);
    }
}
