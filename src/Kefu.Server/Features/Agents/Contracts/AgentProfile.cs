using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Agents.Contracts;

/// <summary>
/// What routing knows about one agent: capacity, skills, presence, shifts, and when they were last given a
/// conversation or freed one. Created on first use with defaults, so every agent can be routed to.
/// </summary>
internal sealed class AgentProfile
{
    public const int DefaultCapacity = 3;

    public Guid UserId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Conversations (open or pending) the agent holds at most at once.</summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>Skills with levels, space separated: <c>en:5 zh:3 vip</c> (no level means 1).</summary>
    public string Skills { get; set; } = "";

    /// <summary>Weekly shifts in <see cref="Routing.Contracts.WeeklyHours"/> syntax, e.g. <c>mon-fri 09:00-17:00</c>; empty means none.</summary>
    public string Shifts { get; set; } = "";

    /// <summary>IANA time zone of <see cref="Shifts"/>.</summary>
    public string ShiftTimeZone { get; set; } = "UTC";

    /// <summary>The state the agent chose (or routing set: away after a missed offer).</summary>
    public PresenceState Presence { get; set; } = PresenceState.Online;
    public DateTime PresenceChangedAt { get; set; }

    /// <summary>Last time routing gave them a conversation. Claims update it first, which also locks the row.</summary>
    public DateTime? LastAssignedAt { get; set; }

    /// <summary>Last time one of their conversations was resolved or moved away: the start of "idle".</summary>
    public DateTime? LastFreedAt { get; set; }
}

/// <summary>A skill group. Agents belong to any number of teams; inboxes and transfers can target a team.</summary>
internal sealed class Team
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An agent's membership in a team.</summary>
internal sealed class TeamMember
{
    public Guid TeamId { get; set; }
    public Guid UserId { get; set; }
}

internal sealed class AgentProfileConfiguration : IEntityTypeConfiguration<AgentProfile>, IEntityTypeConfiguration<Team>, IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<AgentProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.Skills).HasMaxLength(1000);
        builder.Property(p => p.Shifts).HasMaxLength(1000);
        builder.Property(p => p.ShiftTimeZone).HasMaxLength(100);
        builder.Property(p => p.Presence).HasMaxLength(20);
        builder.HasIndex(p => p.TenantId);
        builder.HasOne<AgentUser>().WithOne().HasForeignKey<AgentProfile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.HasIndex(t => new { t.TenantId, t.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<TeamMember> builder)
    {
        builder.HasKey(m => new { m.TeamId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AgentUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
