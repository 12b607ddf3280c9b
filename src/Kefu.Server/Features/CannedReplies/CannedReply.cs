using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>A saved answer an agent inserts into the composer with <c>/shortcut</c> (话术).</summary>
internal sealed class CannedReply
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public CannedReplyScope Scope { get; set; }

    /// <summary>The agent of a personal reply.</summary>
    public Guid? OwnerId { get; set; }

    /// <summary>The team of a team reply.</summary>
    public Guid? TeamId { get; set; }

    /// <summary>
    /// <c>shared</c>, <c>team:{id}</c> or <c>personal:{id}</c>: with <see cref="ShortcutKey"/> the unique key, so a
    /// shortcut is unique in its scope by one index on both databases (a nullable owner or team would not be: NULLs differ).
    /// </summary>
    public required string ScopeKey { get; set; }

    public required string Title { get; set; }

    /// <summary>As the author wrote it (<c>Refund</c>).</summary>
    public required string Shortcut { get; set; }

    /// <summary>The shortcut in lower case: shortcuts are unique whatever their case.</summary>
    public required string ShortcutKey { get; set; }

    public string Category { get; set; } = "";
    public string? TextZh { get; set; }
    public string? TextEn { get; set; }
    public int UsageCount { get; set; }

    /// <summary>
    /// The reply's files (ADR 0042): attachment ids, comma-separated, in the order shown; at most
    /// <see cref="CannedReplyRules.MaxAttachments"/>. The rows are the workspace's (no uploader); using the reply copies them
    /// for the agent.
    /// </summary>
    public string AttachmentIds { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>How often one agent inserted one reply: their most used come first in their list.</summary>
internal sealed class CannedReplyUsage
{
    public Guid ReplyId { get; set; }
    public Guid AgentId { get; set; }
    public int Count { get; set; }
    public DateTime LastUsedAt { get; set; }
}

internal sealed class CannedReplyConfiguration : IEntityTypeConfiguration<CannedReply>
{
    public void Configure(EntityTypeBuilder<CannedReply> builder)
    {
        builder.Property(r => r.Scope).HasMaxLength(20);
        builder.Property(r => r.ScopeKey).HasMaxLength(50);
        builder.Property(r => r.Title).HasMaxLength(CannedReplyRules.MaxTitleLength);
        builder.Property(r => r.Shortcut).HasMaxLength(CannedReplyRules.MaxShortcutLength);
        builder.Property(r => r.ShortcutKey).HasMaxLength(CannedReplyRules.MaxShortcutLength);
        builder.Property(r => r.Category).HasMaxLength(CannedReplyRules.MaxCategoryLength);
        builder.Property(r => r.TextZh).HasMaxLength(CannedReplyRules.MaxTextLength);
        builder.Property(r => r.TextEn).HasMaxLength(CannedReplyRules.MaxTextLength);
        builder.Property(r => r.AttachmentIds).HasMaxLength(CannedReplyRules.MaxAttachments * 37);
        builder.HasIndex(r => new { r.TenantId, r.ScopeKey, r.ShortcutKey }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CannedReplyUsageConfiguration : IEntityTypeConfiguration<CannedReplyUsage>
{
    public void Configure(EntityTypeBuilder<CannedReplyUsage> builder)
    {
        builder.HasKey(u => new { u.ReplyId, u.AgentId });
        builder.HasIndex(u => u.AgentId);
        // A deleted reply takes its counts with it.
        builder.HasOne<CannedReply>().WithMany().HasForeignKey(u => u.ReplyId).OnDelete(DeleteBehavior.Cascade);
    }
}
