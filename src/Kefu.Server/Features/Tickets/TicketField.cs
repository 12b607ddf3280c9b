using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Tickets;

/// <summary>A custom ticket field an admin defined: key, labels, type (the contact attributes' types), options, required.</summary>
internal sealed class TicketFieldDefinition
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Key { get; set; }
    public required string LabelEn { get; set; }
    public required string LabelZh { get; set; }
    public ContactAttributeType Type { get; set; }

    /// <summary>A dropdown's options, one per line.</summary>
    public string Options { get; set; } = "";

    /// <summary>An agent or the API must give a value when creating a ticket, and cannot clear it later.</summary>
    public bool Required { get; set; }

    /// <summary>
    /// Archived: no longer offered on new tickets or in forms, and not writable, but its values stay on the tickets that
    /// hold them and can still be filtered on. Unarchiving brings it back as it was.
    /// </summary>
    public bool Archived { get; set; }
    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> OptionList => Options.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public TicketFieldDto ToDto() => new(Id, Key, LabelEn, LabelZh, Type, OptionList, Required, Archived);
}

/// <summary>One ticket's value of one field, in the stored form of <see cref="TypedValues"/>.</summary>
internal sealed class TicketFieldValue
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid TicketId { get; set; }
    public Guid DefinitionId { get; set; }
    public required string Value { get; set; }
}

internal sealed class TicketFieldDefinitionConfiguration : IEntityTypeConfiguration<TicketFieldDefinition>
{
    public void Configure(EntityTypeBuilder<TicketFieldDefinition> builder)
    {
        builder.ToTable("TicketFieldDefinitions");
        builder.Property(d => d.Key).HasMaxLength(TicketFieldRules.MaxKeyLength);
        builder.Property(d => d.LabelEn).HasMaxLength(TicketFieldRules.MaxLabelLength);
        builder.Property(d => d.LabelZh).HasMaxLength(TicketFieldRules.MaxLabelLength);
        builder.Property(d => d.Type).HasMaxLength(16);
        builder.Property(d => d.Options).HasMaxLength(4000);
        builder.Ignore(d => d.OptionList);
        builder.HasIndex(d => new { d.TenantId, d.Key }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketFieldValueConfiguration : IEntityTypeConfiguration<TicketFieldValue>
{
    public void Configure(EntityTypeBuilder<TicketFieldValue> builder)
    {
        builder.ToTable("TicketFieldValues");
        builder.Property(v => v.Value).HasMaxLength(TypedValues.MaxTextLength);
        builder.HasIndex(v => new { v.TicketId, v.DefinitionId }).IsUnique();
        // The list's field filter looks tickets up by field and value.
        builder.HasIndex(v => new { v.DefinitionId, v.Value });
        builder.HasOne<Ticket>().WithMany().HasForeignKey(v => v.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<TicketFieldDefinition>().WithMany().HasForeignKey(v => v.DefinitionId).OnDelete(DeleteBehavior.Cascade);
    }
}
