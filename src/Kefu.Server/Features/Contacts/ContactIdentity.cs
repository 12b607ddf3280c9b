using Kefu.Server.Features.Contacts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// One way a channel knows a contact: an e-mail address, a WeChat openid or unionid, an integrator's own id.
/// A contact holds many; each (workspace, kind, value) belongs to one contact, so every channel's messages from
/// the same person land in one history. A widget visitor needs none: their token carries the contact id.
/// </summary>
internal sealed class ContactIdentity
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ContactId { get; set; }
    public IdentityKind Kind { get; set; }

    /// <summary>The channel's id for the person, normalised (<see cref="ContactIdentities.Normalize"/>).</summary>
    public required string Value { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class ContactIdentityConfiguration : IEntityTypeConfiguration<ContactIdentity>
{
    public void Configure(EntityTypeBuilder<ContactIdentity> builder)
    {
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(i => i.Value).HasMaxLength(ContactIdentities.MaxValueLength);
        builder.HasIndex(i => new { i.TenantId, i.Kind, i.Value }).IsUnique();
        builder.HasIndex(i => i.ContactId);
        builder.HasOne<Contact>().WithMany().HasForeignKey(i => i.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
