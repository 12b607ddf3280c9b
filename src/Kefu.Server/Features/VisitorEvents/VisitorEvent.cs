using Kefu.Server.Features.Contacts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.VisitorEvents;

/// <summary>
/// Something a visitor did on the host page, as the page told the widget (<c>Kefu.track(name, props)</c>): a page
/// opened, a cart filled. Kept for proactive rules and for agents; deleted with the contact.
/// </summary>
internal sealed class VisitorEvent
{
    /// <summary>Ever increasing: the order events happened in, without comparing times (SQLite cannot order DateTimeOffset).</summary>
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }
    public Guid ContactId { get; set; }

    /// <summary>The event's name, <see cref="VisitorEventRules.NamePattern"/>.</summary>
    public required string Name { get; set; }

    /// <summary>The properties as a flat JSON object, re-serialised by the server (never the page's own text); null when none.</summary>
    public string? Props { get; set; }
    public DateTime OccurredAt { get; set; }
}

internal sealed class VisitorEventConfiguration : IEntityTypeConfiguration<VisitorEvent>
{
    public void Configure(EntityTypeBuilder<VisitorEvent> builder)
    {
        builder.ToTable("VisitorEvents");
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Name).HasMaxLength(VisitorEventRules.MaxNameLength);
        builder.Property(e => e.Props).HasMaxLength(VisitorEventRules.MaxPropsBytes);
        // "What did this visitor do lately": the rules and the agent read by contact, newest first.
        builder.HasIndex(e => new { e.ContactId, e.Id });
        builder.HasOne<Contact>().WithMany().HasForeignKey(e => e.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// What the host page says about its visitor (<c>Kefu.setAttributes({...})</c>): plan, cart value, signed-in state.
/// One row per contact; a later call merges into it.
/// </summary>
internal sealed class VisitorAttributeSet
{
    public Guid ContactId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The attributes as a flat JSON object, re-serialised by the server.</summary>
    public required string Values { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class VisitorAttributeSetConfiguration : IEntityTypeConfiguration<VisitorAttributeSet>
{
    public void Configure(EntityTypeBuilder<VisitorAttributeSet> builder)
    {
        builder.ToTable("VisitorAttributes");
        builder.HasKey(a => a.ContactId);
        builder.Property(a => a.Values).HasMaxLength(VisitorEventRules.MaxAttributesBytes);
        builder.HasOne<Contact>().WithMany().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
