using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Invitations;

/// <summary>
/// One proactive invitation rule of a widget inbox: conditions on the visit (all must hold; an empty condition always
/// holds) and the invitation it shows. Rules are tried in <see cref="Position"/> order; the first that matches wins.
/// </summary>
internal sealed class InvitationRule
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary><see cref="UrlPattern"/> text: <c>*</c> matches any run of characters; without <c>*</c> a prefix. Starting with <c>/</c> it is matched against the path and query, otherwise against the whole URL.</summary>
    public string? UrlPattern { get; set; }
    public int? MinSecondsOnPage { get; set; }
    public int? MinPagesVisited { get; set; }

    /// <summary>True: only returning visitors; false: only first visits; null: both.</summary>
    public bool? Returning { get; set; }

    /// <summary>A contact tag the visitor must carry.</summary>
    public string? Tag { get; set; }
    public string? AttributeKey { get; set; }
    public string? AttributeValue { get; set; }

    /// <summary><c>en</c> or <c>zh</c>: the widget's language; null: both.</summary>
    public string? Language { get; set; }

    /// <summary>Only while the inbox's business hours are open.</summary>
    public bool DuringBusinessHours { get; set; }

    public required string TextEn { get; set; }
    public required string TextZh { get; set; }

    /// <summary>Open the chat window with the invitation instead of only showing the bubble.</summary>
    public bool OpenWidget { get; set; }

    /// <summary>At most one invitation per this many minutes per visitor.</summary>
    public int CapMinutes { get; set; }

    /// <summary>After a dismissal, no invitation for this many minutes.</summary>
    public int DismissMinutes { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// An invitation shown to one visitor (by a rule, or by an agent who saw them browsing) and what the visitor did with
/// it; the source of the frequency cap and of the counts. Erased with the contact.
/// </summary>
internal sealed class InvitationShow
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }
    public Guid ContactId { get; set; }

    /// <summary>The rule that showed it; null for an agent's invitation.</summary>
    public Guid? RuleId { get; set; }

    /// <summary>The agent who sent it; null for a rule's.</summary>
    public Guid? AgentId { get; set; }
    public DateTime ShownAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? DismissedAt { get; set; }
}

internal sealed class InvitationRuleConfiguration : IEntityTypeConfiguration<InvitationRule>
{
    public void Configure(EntityTypeBuilder<InvitationRule> builder)
    {
        builder.ToTable("InvitationRules");
        builder.Property(r => r.Name).HasMaxLength(InvitationLimits.MaxName);
        builder.Property(r => r.UrlPattern).HasMaxLength(InvitationLimits.MaxPattern);
        builder.Property(r => r.Tag).HasMaxLength(InvitationLimits.MaxTag);
        builder.Property(r => r.AttributeKey).HasMaxLength(InvitationLimits.MaxTag);
        builder.Property(r => r.AttributeValue).HasMaxLength(InvitationLimits.MaxAttributeValue);
        builder.Property(r => r.Language).HasMaxLength(5);
        builder.Property(r => r.TextEn).HasMaxLength(InvitationLimits.MaxText);
        builder.Property(r => r.TextZh).HasMaxLength(InvitationLimits.MaxText);
        builder.HasIndex(r => new { r.InboxId, r.Position });
        builder.HasOne<Inbox>().WithMany().HasForeignKey(r => r.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvitationShowConfiguration : IEntityTypeConfiguration<InvitationShow>
{
    public void Configure(EntityTypeBuilder<InvitationShow> builder)
    {
        builder.ToTable("InvitationShows");
        // The cap reads a visitor's latest invitations; the counts read a rule's.
        builder.HasIndex(s => new { s.ContactId, s.ShownAt });
        builder.HasIndex(s => s.RuleId);
        builder.HasOne<Contact>().WithMany().HasForeignKey(s => s.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<InvitationRule>().WithMany().HasForeignKey(s => s.RuleId).OnDelete(DeleteBehavior.Cascade);
    }
}
