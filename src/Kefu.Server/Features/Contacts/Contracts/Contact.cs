using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>One customer identity. A widget visitor is a contact from their first visit on.</summary>
internal sealed class Contact
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Display name; visitors start as "Visitor 1A2B" until they tell us more.</summary>
    public required string Name { get; set; }
    /// <summary>E-mail as stored: masked when the workspace masks e-mail addresses and an agent typed it (see <see cref="EmailOriginal"/>).</summary>
    public string? Email { get; set; }

    /// <summary>Phone as stored: given in a widget's pre-chat form, or typed by an agent (a mainland mobile number is then masked, <c>138****8000</c>).</summary>
    public string? Phone { get; set; }

    /// <summary>The typed phone number, encrypted for the workspace, when an agent's edit stored <see cref="Phone"/> masked.</summary>
    public string? PhoneOriginal { get; set; }

    /// <summary>The typed e-mail address, encrypted for the workspace, when an agent's edit stored <see cref="Email"/> masked.</summary>
    public string? EmailOriginal { get; set; }

    /// <summary>The customer's company or organisation, 1–100 characters, set by an agent or by a verified identify call.</summary>
    public string? Company { get; set; }

    /// <summary>Preferred language as a BCP 47 tag (<c>zh-CN</c>, <c>en</c>); defaulted from the widget's language when unknown.</summary>
    public string? Language { get; set; }

    /// <summary>Where the customer is, free text as given (<c>Shanghai, China</c>), 1–100 characters.</summary>
    public string? Location { get; set; }

    /// <summary>Tags, space separated (<c>vip wholesale</c>); routing puts contacts with an inbox's VIP tags first.</summary>
    public string Tags { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }

    /// <summary>
    /// The integrator's id a widget visitor claimed through <c>Kefu.identify</c> without a valid signature, on an inbox
    /// that does not enforce verification. Shown as unverified; never a key that finds or merges a contact.
    /// </summary>
    public string? UnverifiedExternalId { get; set; }

    /// <summary>Set when this contact was merged into another: the survivor. A merged contact is hidden from lists and keeps no history.</summary>
    public Guid? MergedIntoId { get; set; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Email).HasMaxLength(256);
        builder.Property(c => c.Phone).HasMaxLength(32);
        builder.Property(c => c.PhoneOriginal).HasMaxLength(1000);
        builder.Property(c => c.EmailOriginal).HasMaxLength(1000);
        builder.Property(c => c.Tags).HasMaxLength(500);
        builder.Property(c => c.Company).HasMaxLength(100);
        builder.Property(c => c.Language).HasMaxLength(16);
        builder.Property(c => c.Location).HasMaxLength(100);
        builder.Property(c => c.UnverifiedExternalId).HasMaxLength(320);
        builder.HasIndex(c => c.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
