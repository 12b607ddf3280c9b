using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>What became of a reply sent to WeChat.</summary>
public enum WeChatDeliveryState
{
    /// <summary>WeChat accepted it.</summary>
    Sent,

    /// <summary>
    /// WeChat refused it because the person has not written for 48 hours (error 45015): it cannot be delivered until
    /// they write again. Not retried.
    /// </summary>
    WindowClosed,

    /// <summary>WeChat refused it for another reason it will not change its mind about (a blocked user, a bad openid).</summary>
    Refused,
}

/// <summary>One reply's outcome: makes the sender idempotent (the outbox delivers at least once) and tells the console why a reply did not arrive.</summary>
internal sealed class WeChatDelivery
{
    public Guid MessageId { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public WeChatDeliveryState State { get; set; }

    /// <summary>WeChat's <c>errcode</c> for a refused reply.</summary>
    public int? ErrorCode { get; set; }
    public DateTime At { get; set; }
}

internal sealed class WeChatDeliveryConfiguration : IEntityTypeConfiguration<WeChatDelivery>
{
    public void Configure(EntityTypeBuilder<WeChatDelivery> builder)
    {
        builder.HasKey(d => d.MessageId);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(d => d.ConversationId);
        builder.HasOne<Features.Conversations.Contracts.Message>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
