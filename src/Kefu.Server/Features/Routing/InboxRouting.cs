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

    /// <summary>What the visitor is told outside business hours, in English; empty for the built-in text.</summary>
    public string ClosedMessageEn { get; set; } = "";

    /// <summary>What the visitor is told outside business hours, in Simplified Chinese; empty for the built-in text.</summary>
    public string ClosedMessageZh { get; set; } = "";

    /// <summary>
    /// Outside business hours a conversation becomes a message to answer later (true), or waits in line until the
    /// inbox opens (false). Either way the router does not assign it while the inbox is closed.
    /// </summary>
    public bool ClosedLeaveMessage { get; set; } = true;

    /// <summary>The opening hours of this row.</summary>
    public WeeklyHours Hours() => WeeklyHours.Parse(BusinessHours, TimeZone, Holidays);

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
        builder.Property(r => r.ClosedMessageEn).HasMaxLength(InboxRoutingRules.MaxClosedMessage).HasDefaultValue("");
        builder.Property(r => r.ClosedMessageZh).HasMaxLength(InboxRoutingRules.MaxClosedMessage).HasDefaultValue("");
        // Rows from before the setting keep what the bot already told visitors outside hours: leave a message. The
        // sentinel is true so that an explicit false is written rather than replaced by the column default.
        builder.Property(r => r.ClosedLeaveMessage).HasDefaultValue(true).HasSentinel(true);
        builder.HasOne<Inbox>().WithOne().HasForeignKey<InboxRouting>(r => r.InboxId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Team>().WithMany().HasForeignKey(r => r.OverflowTeamId).OnDelete(DeleteBehavior.SetNull);
    }
}
