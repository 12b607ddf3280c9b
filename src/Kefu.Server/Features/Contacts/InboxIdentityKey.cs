using Kefu.Server.Features.Channels.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// An inbox's identity-verification secret: the key of the HMAC (or HS256 JWT) with which the host page's server signs
/// the ids it passes to <c>Kefu.identify</c>. Kept encrypted with Data Protection (it must be read back to check a
/// signature, so it cannot be hashed). Its own table so the inbox entity stays the channels' own.
/// </summary>
internal sealed class InboxIdentityKey
{
    public Guid InboxId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The secret, protected by <see cref="IdentitySecrets"/>.</summary>
    public required string SecretCipher { get; set; }

    /// <summary>True: an identify call without a valid signature is refused. False: it is kept as an unverified claim.</summary>
    public bool Enforce { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class InboxIdentityKeyConfiguration : IEntityTypeConfiguration<InboxIdentityKey>
{
    public void Configure(EntityTypeBuilder<InboxIdentityKey> builder)
    {
        builder.HasKey(k => k.InboxId);
        builder.Property(k => k.SecretCipher).HasMaxLength(1000);
        builder.HasIndex(k => k.TenantId);
        builder.HasOne<Inbox>().WithOne().HasForeignKey<InboxIdentityKey>(k => k.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
