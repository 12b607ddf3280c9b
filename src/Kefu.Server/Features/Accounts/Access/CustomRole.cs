using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>A role a workspace defined: a name and a set of permissions. Agents holding it get exactly these.</summary>
internal sealed class CustomRole
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public Permission Permissions { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An inbox an agent is limited to. An agent with no rows uses every inbox of the workspace.</summary>
internal sealed class AgentInboxAccess
{
    public Guid UserId { get; set; }
    public Guid InboxId { get; set; }
    public Guid TenantId { get; set; }
}

internal sealed class CustomRoleConfiguration : IEntityTypeConfiguration<CustomRole>, IEntityTypeConfiguration<AgentInboxAccess>
{
    public void Configure(EntityTypeBuilder<CustomRole> builder)
    {
        builder.ToTable("CustomRoles");
        builder.Property(r => r.Name).HasMaxLength(60);
        // A number, not the enum's name list: flags combine.
        builder.Property(r => r.Permissions).HasConversion<long>();
        builder.HasIndex(r => new { r.TenantId, r.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<AgentInboxAccess> builder)
    {
        builder.ToTable("AgentInboxAccess");
        builder.HasKey(a => new { a.UserId, a.InboxId });
        builder.HasIndex(a => a.TenantId);
        builder.HasOne<AgentUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Features.Channels.Contracts.Inbox>().WithMany().HasForeignKey(a => a.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
