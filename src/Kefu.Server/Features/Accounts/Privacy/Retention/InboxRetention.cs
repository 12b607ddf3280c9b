using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Privacy.Retention;

/// <summary>
/// How long an inbox keeps its conversations: <see cref="Days"/> after they were last active, then the retention
/// job deletes or anonymises them. No row means keep for ever (the default).
/// </summary>
internal sealed class InboxRetention
{
    public Guid InboxId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>1–3650 days after the last message (or resolution, when later).</summary>
    public int Days { get; set; }

    public ErasureMode Mode { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class InboxRetentionConfiguration : IEntityTypeConfiguration<InboxRetention>
{
    public void Configure(EntityTypeBuilder<InboxRetention> builder)
    {
        builder.ToTable("InboxRetentions");
        builder.HasKey(r => r.InboxId);
        builder.Property(r => r.Mode).HasMaxLength(20);
        builder.HasIndex(r => r.TenantId);
        builder.HasOne<Inbox>().WithOne().HasForeignKey<InboxRetention>(r => r.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
