using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>A person who signs in to the console: agent, supervisor or admin of one tenant.</summary>
internal sealed class AgentUser : IdentityUser<Guid>
{
    public Guid TenantId { get; set; }
    public required string DisplayName { get; set; }
    public AgentRole Role { get; set; } = AgentRole.Agent;

    /// <summary>A workspace-defined role; when set, its permissions replace those of <see cref="Role"/>.</summary>
    public Guid? CustomRoleId { get; set; }

    /// <summary>The console language the user chose (<c>en</c> or <c>zh-CN</c>); null until they choose. Applied at every sign-in.</summary>
    public string? Language { get; set; }

    /// <summary>
    /// True when the user switched the alert sound off. Stored as "off" so that false, the column's default, means the
    /// sound is on for everyone who never chose (EF Core cannot give a <c>bool</c> a database default of true).
    /// </summary>
    public bool AlertSoundOff { get; set; }

    /// <summary>True when the user switched browser notifications on; whether a browser may show them is that browser's.</summary>
    public bool AlertDesktop { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>What a console user may do. Admins are agents too.</summary>
public enum AgentRole
{
    /// <summary>Answers conversations.</summary>
    Agent,

    /// <summary>An agent who also watches queues and reassigns.</summary>
    Supervisor,

    /// <summary>Configures the workspace.</summary>
    Admin,
}

internal sealed class AgentUserConfiguration : IEntityTypeConfiguration<AgentUser>
{
    public void Configure(EntityTypeBuilder<AgentUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(100);
        builder.Property(u => u.Role).HasMaxLength(20);
        builder.Property(u => u.Language).HasMaxLength(10);
        builder.HasIndex(u => u.TenantId);
        builder.HasOne<Access.CustomRole>().WithMany().HasForeignKey(u => u.CustomRoleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
