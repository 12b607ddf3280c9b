using Kefu.Server.Features.Channels.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// Which openid a contact has in one WeChat inbox: an openid names a person within one account only, so replies
/// need the pair (inbox, contact) → openid. Written when the person first writes, read for every reply.
/// </summary>
internal sealed class WeChatRecipient
{
    public Guid InboxId { get; set; }
    public required string OpenId { get; set; }
    public Guid TenantId { get; set; }
    public Guid ContactId { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class WeChatRecipientConfiguration : IEntityTypeConfiguration<WeChatRecipient>
{
    public void Configure(EntityTypeBuilder<WeChatRecipient> builder)
    {
        builder.HasKey(r => new { r.InboxId, r.OpenId });
        builder.Property(r => r.OpenId).HasMaxLength(64);
        builder.HasIndex(r => new { r.InboxId, r.ContactId });
        builder.HasOne<Inbox>().WithMany().HasForeignKey(r => r.InboxId).OnDelete(DeleteBehavior.Cascade);
        // Erasing a contact takes the mapping with it (the contact's identities go the same way).
        builder.HasOne<Features.Contacts.Contracts.Contact>().WithMany().HasForeignKey(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
