using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// A saved ticket list: a name and the list's filters and sort, personal (<see cref="OwnerId"/> set) or shared with the
/// workspace (null). Filters are typed columns, not a JSON blob, so a field filter names its definition by key
/// (<see cref="FieldId"/>) and deleting that field can be refused while a view uses it. See ADR 0037.
/// </summary>
internal sealed class TicketSavedView
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The agent whose personal view it is; null for a view shared with the workspace.</summary>
    public Guid? OwnerId { get; set; }
    public required string Name { get; set; }
    public TicketStatus? Status { get; set; }
    public TicketPriority? Priority { get; set; }

    /// <summary><c>me</c> (whoever opens it), <c>unassigned</c>, an agent id, or null for anyone.</summary>
    public string? Assignee { get; set; }
    public Guid? TeamId { get; set; }
    public string? Tag { get; set; }
    public bool BreachingSoon { get; set; }

    /// <summary>The custom field filtered on, with <see cref="FieldValue"/> in its stored form.</summary>
    public Guid? FieldId { get; set; }
    public string? FieldValue { get; set; }
    public TicketSort Sort { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class TicketSavedViewConfiguration : IEntityTypeConfiguration<TicketSavedView>
{
    public void Configure(EntityTypeBuilder<TicketSavedView> builder)
    {
        builder.ToTable("TicketSavedViews");
        builder.Property(v => v.Name).HasMaxLength(TicketViewRules.MaxNameLength);
        builder.Property(v => v.Status).HasMaxLength(16);
        builder.Property(v => v.Priority).HasMaxLength(16);
        builder.Property(v => v.Assignee).HasMaxLength(40);
        builder.Property(v => v.Tag).HasMaxLength(TicketRules.MaxTagLength);
        builder.Property(v => v.FieldValue).HasMaxLength(Contacts.Contracts.TypedValues.MaxTextLength);
        builder.Property(v => v.Sort).HasMaxLength(16);
        // The picker lists the caller's own and the shared views of a workspace.
        builder.HasIndex(v => new { v.TenantId, v.OwnerId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Cascade);
        // A field a view filters on cannot be deleted (DeleteTicketField refuses with ticket_field_in_use); Restrict is the backstop.
        builder.HasOne<TicketFieldDefinition>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Restrict);
    }
}
