using Kefu.Server.Features.Contacts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Contacts;

/// <summary>A custom contact attribute of a workspace: its key, labels, type and (for a list) options.</summary>
internal sealed class ContactAttributeDefinition
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Key { get; set; }
    public required string LabelEn { get; set; }
    public required string LabelZh { get; set; }
    public ContactAttributeType Type { get; set; }

    /// <summary>A list's options, one per line.</summary>
    public string Options { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> OptionList => Options.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public ContactAttributeDefinitionDto ToDto() => new(Id, Key, LabelEn, LabelZh, Type, OptionList);
}

/// <summary>One contact's value of one attribute (normalised by <see cref="ContactAttributeRules"/>).</summary>
internal sealed class ContactAttributeValue
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ContactId { get; set; }
    public Guid DefinitionId { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A note on a contact; its author alone edits or deletes it.</summary>
internal sealed class ContactNote
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ContactId { get; set; }
    public Guid AuthorId { get; set; }
    public required string AuthorName { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
}

internal sealed class ContactAttributeDefinitionConfiguration : IEntityTypeConfiguration<ContactAttributeDefinition>
{
    public void Configure(EntityTypeBuilder<ContactAttributeDefinition> builder)
    {
        builder.Property(d => d.Key).HasMaxLength(ContactAttributeRules.MaxKeyLength);
        builder.Property(d => d.LabelEn).HasMaxLength(ContactAttributeRules.MaxLabelLength);
        builder.Property(d => d.LabelZh).HasMaxLength(ContactAttributeRules.MaxLabelLength);
        builder.Property(d => d.Type).HasMaxLength(16);
        builder.Property(d => d.Options).HasMaxLength(4000);
        builder.Ignore(d => d.OptionList);
        builder.HasIndex(d => new { d.TenantId, d.Key }).IsUnique();
    }
}

internal sealed class ContactAttributeValueConfiguration : IEntityTypeConfiguration<ContactAttributeValue>
{
    public void Configure(EntityTypeBuilder<ContactAttributeValue> builder)
    {
        builder.Property(v => v.Value).HasMaxLength(ContactAttributeRules.MaxTextLength);
        builder.HasIndex(v => new { v.ContactId, v.DefinitionId }).IsUnique();
        // The attribute filter of the contact list looks values up by attribute and value.
        builder.HasIndex(v => new { v.DefinitionId, v.Value });
        builder.HasOne<Contact>().WithMany().HasForeignKey(v => v.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ContactAttributeDefinition>().WithMany().HasForeignKey(v => v.DefinitionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactNoteConfiguration : IEntityTypeConfiguration<ContactNote>
{
    public void Configure(EntityTypeBuilder<ContactNote> builder)
    {
        builder.Property(n => n.AuthorName).HasMaxLength(100);
        builder.Property(n => n.Text).HasMaxLength(ContactNoteRules.MaxLength);
        builder.HasIndex(n => n.ContactId);
        builder.HasOne<Contact>().WithMany().HasForeignKey(n => n.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
