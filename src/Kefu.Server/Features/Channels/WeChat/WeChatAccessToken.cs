using Kefu.Server.Features.Channels.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// An inbox's current access token, shared by every node. WeChat invalidates the previous token when a new one is
/// fetched, so nodes must not each refresh: the one that takes the lease (<see cref="LeaseUntil"/>, a conditional
/// update) fetches, the others read the row. Keyed by inbox, not AppID, so a workspace that types another's AppID
/// never reads that workspace's token.
/// </summary>
internal sealed class WeChatAccessToken
{
    public Guid InboxId { get; set; }

    /// <summary>The token, protected with Data Protection; null before the first fetch.</summary>
    public string? Token { get; set; }

    /// <summary>When to stop using it (a margin before WeChat's own expiry), UTC.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>A node is fetching a new token until this time, UTC; null when nobody is.</summary>
    public DateTime? LeaseUntil { get; set; }

    /// <summary>Increases with every new token: the compare in "replace the token I saw" updates.</summary>
    public int Version { get; set; }
}

internal sealed class WeChatAccessTokenConfiguration : IEntityTypeConfiguration<WeChatAccessToken>
{
    public void Configure(EntityTypeBuilder<WeChatAccessToken> builder)
    {
        builder.HasKey(t => t.InboxId);
        builder.Property(t => t.Token).HasMaxLength(2000);
        builder.HasOne<Inbox>().WithMany().HasForeignKey(t => t.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
