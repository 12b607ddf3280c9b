using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Tickets;

/// <summary>A customer's request with a lifecycle and an SLA clock.</summary>
internal sealed class Ticket
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Sequential per workspace, from <see cref="TicketCounter"/>; unique with the workspace.</summary>
    public long Number { get; set; }
    public required string Subject { get; set; }
    public TicketStatus Status { get; set; }
    public TicketPriority Priority { get; set; }
    public TicketType Type { get; set; }
    public TicketSource Source { get; set; }
    public Guid? RequesterId { get; set; }
    public Guid? AssigneeId { get; set; }
    public Guid? TeamId { get; set; }

    /// <summary>
    /// The inbox it belongs to (its conversation's, or the e-mail inbox it came in by); null for a ticket made by the API
    /// or an agent without one. Agents limited to inboxes see only their inboxes' tickets (<see cref="TicketScope"/>).
    /// </summary>
    public Guid? InboxId { get; set; }

    /// <summary>Space separated, lower case.</summary>
    public string Tags { get; set; } = "";

    /// <summary>Agent ids, space separated.</summary>
    public string Followers { get; set; } = "";

    /// <summary>Ticket ids linked as related, space separated (kept on both sides).</summary>
    public string Related { get; set; } = "";
    public Guid? ConversationId { get; set; }
    public Guid? MergedIntoId { get; set; }
    public Guid? FollowUpOfId { get; set; }

    /// <summary>The channel's id of the message that opened it (idempotent creation by a channel).</summary>
    public string? ExternalId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FirstRepliedAt { get; set; }
    public DateTime? SolvedAt { get; set; }
    public DateTime? ClosedAt { get; set; }

    // The SLA clock: due instants computed when a target starts (business hours already counted in), so the list and
    // the sweep compare instants and never walk calendars.
    public DateTime? FirstReplyDueAt { get; set; }
    public DateTime? NextReplyDueAt { get; set; }
    public DateTime? ResolutionDueAt { get; set; }
    public int SlaWarnBeforeMinutes { get; set; }
    public SlaTargets SlaWarned { get; set; }
    public SlaTargets SlaBreached { get; set; }

    /// <summary>The next instant the sweep must look at this ticket (a warning or a due time); null when nothing runs.</summary>
    public DateTime? SlaCheckAt { get; set; }

    /// <summary>The nearest running due time (for "breaching soon" and the sort by due).</summary>
    public DateTime? NextDueAt { get; set; }

    /// <summary>Bumped by every change: two agents saving the same ticket cannot overwrite each other unseen.</summary>
    public int Version { get; set; }
}

/// <summary>A line of a ticket's thread: a public reply, an internal note, the customer's message, a transcript line.</summary>
internal sealed class TicketEntry
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid TicketId { get; set; }
    public TicketEntryKind Kind { get; set; }
    public Guid? AuthorId { get; set; }
    public string? AuthorName { get; set; }
    public required string Text { get; set; }

    /// <summary>A channel's message id, unique per workspace: the same mail posted twice is stored once.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Files that came with the line (a mail's attachments), attachment ids space separated; stored as uploads.</summary>
    public string Attachments { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>The last ticket number of a workspace. One row per workspace, incremented inside the creating transaction.</summary>
internal sealed class TicketCounter
{
    public Guid TenantId { get; set; }
    public long Last { get; set; }
}

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.ToTable("Tickets");
        builder.Property(t => t.Subject).HasMaxLength(TicketRules.MaxSubjectLength);
        builder.Property(t => t.Status).HasMaxLength(16);
        builder.Property(t => t.Priority).HasMaxLength(16);
        builder.Property(t => t.Type).HasMaxLength(16);
        builder.Property(t => t.Source).HasMaxLength(20);
        builder.Property(t => t.Tags).HasMaxLength(500);
        builder.Property(t => t.Followers).HasMaxLength(2000);
        builder.Property(t => t.Related).HasMaxLength(2000);
        builder.Property(t => t.ExternalId).HasMaxLength(200);
        builder.Property(t => t.SlaWarned).HasConversion<int>();
        builder.Property(t => t.SlaBreached).HasConversion<int>();
        builder.Property(t => t.Version).IsConcurrencyToken();
        // The backstop of the counter: two tickets of a workspace can never share a number.
        builder.HasIndex(t => new { t.TenantId, t.Number }).IsUnique();
        builder.HasIndex(t => new { t.TenantId, t.Status, t.UpdatedAt });
        builder.HasIndex(t => new { t.TenantId, t.ExternalId }).IsUnique();
        builder.HasIndex(t => t.SlaCheckAt);
        builder.HasIndex(t => t.ConversationId);
        builder.HasIndex(t => new { t.TenantId, t.InboxId });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TicketEntryConfiguration : IEntityTypeConfiguration<TicketEntry>
{
    public void Configure(EntityTypeBuilder<TicketEntry> builder)
    {
        builder.ToTable("TicketEntries");
        builder.Property(e => e.Kind).HasMaxLength(16);
        builder.Property(e => e.AuthorName).HasMaxLength(200);
        builder.Property(e => e.Text).HasMaxLength(TicketRules.MaxTextLength);
        builder.Property(e => e.ExternalId).HasMaxLength(200);
        builder.Property(e => e.Attachments).HasMaxLength(TicketLimits.MaxAttachments * 37);
        builder.HasIndex(e => new { e.TicketId, e.CreatedAt });
        builder.HasIndex(e => new { e.TenantId, e.ExternalId }).IsUnique();
        builder.HasOne<Ticket>().WithMany().HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketCounterConfiguration : IEntityTypeConfiguration<TicketCounter>
{
    public void Configure(EntityTypeBuilder<TicketCounter> builder)
    {
        builder.ToTable("TicketCounters");
        builder.HasKey(c => c.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The SLA targets of one priority in a workspace.</summary>
internal sealed class SlaPolicy
{
    public Guid TenantId { get; set; }
    public TicketPriority Priority { get; set; }
    public int? FirstReplyMinutes { get; set; }
    public int? NextReplyMinutes { get; set; }
    public int? ResolutionMinutes { get; set; }
    public string BusinessHours { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Closed dates (<c>yyyy-MM-dd</c>, space separated) in <see cref="TimeZone"/>: business time does not count on them.</summary>
    public string Holidays { get; set; } = "";

    /// <summary>Count the ticket's inbox's opening hours and holidays (routing's calendar) instead of <see cref="BusinessHours"/>, when it has them.</summary>
    public bool UseInboxHours { get; set; }
    public int WarnBeforeMinutes { get; set; } = 30;
    public DateTime UpdatedAt { get; set; }

    public SlaPolicyDto ToDto() => new(Priority, FirstReplyMinutes, NextReplyMinutes, ResolutionMinutes, BusinessHours, TimeZone, WarnBeforeMinutes, Holidays, UseInboxHours);
}

internal sealed class SlaPolicyConfiguration : IEntityTypeConfiguration<SlaPolicy>
{
    public void Configure(EntityTypeBuilder<SlaPolicy> builder)
    {
        builder.ToTable("SlaPolicies");
        builder.HasKey(p => new { p.TenantId, p.Priority });
        builder.Property(p => p.Priority).HasMaxLength(16);
        builder.Property(p => p.BusinessHours).HasMaxLength(500);
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.Property(p => p.Holidays).HasMaxLength(4000).HasDefaultValue("");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
