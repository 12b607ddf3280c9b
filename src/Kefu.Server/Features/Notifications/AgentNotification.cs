using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Notifications;

/// <summary>What a bell line is about.</summary>
public enum NotificationKind
{
    /// <summary>Routing offers the conversation to the reader, who accepts before it expires.</summary>
    Offer,

    /// <summary>A person handed the conversation to the reader.</summary>
    Transfer,

    /// <summary>The visitor wrote in a conversation assigned to the reader.</summary>
    Message,

    /// <summary>Someone mentioned the reader (by name, or a team of theirs) in a private note.</summary>
    Mention,

    /// <summary>Something happened in a conversation the reader follows: a customer's message, a note, a status change.</summary>
    Following,

    /// <summary>A visitor gave a low score in a survey (Surveys): the supervisors who can see the conversation follow up.</summary>
    LowScore,

    /// <summary>A colleague sent a public reply on a ticket the reader follows.</summary>
    TicketReply,

    /// <summary>The customer wrote on a ticket the reader follows.</summary>
    TicketCustomerReply,

    /// <summary>The status of a ticket the reader follows changed.</summary>
    TicketStatus,
}

/// <summary>
/// One line of an agent's bell: one per agent, conversation and kind, raised again (not duplicated) when the same
/// thing happens again. It keeps ids and counts only, never text: the line is rendered in the reader's language when
/// it is read, with the contact's name as it is then (after an erasure, the anonymised one).
/// </summary>
internal sealed class AgentNotification
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The reader.</summary>
    public Guid AgentId { get; set; }
    public NotificationKind Kind { get; set; }

    /// <summary>The conversation it is about; null for a ticket's line. Exactly one of this and <see cref="TicketId"/> is set.</summary>
    public Guid? ConversationId { get; set; }

    /// <summary>The ticket it is about (the ticket kinds); null for a conversation's line.</summary>
    public Guid? TicketId { get; set; }

    /// <summary>
    /// The private note a <see cref="NotificationKind.Mention"/> line opens: the last note that mentioned the reader in
    /// that conversation (raised again by a newer mention, it points at the newer note). Null for the other kinds.
    /// </summary>
    public Guid? NoteId { get; set; }

    /// <summary>Who caused it, when a person did (the colleague who transferred); null otherwise.</summary>
    public Guid? ActorId { get; set; }

    /// <summary>How many times it happened since the reader last read the line (messages: how many arrived).</summary>
    public int Count { get; set; }

    /// <summary>The last message's <c>Seq</c> counted (message lines), so a replayed event is not counted twice.</summary>
    public long LastSeq { get; set; }

    /// <summary>When the line first appeared, UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it last happened, UTC: the bell's order and the age pruning goes by.</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>When the reader read it, UTC; null while unread. Raising the line again makes it unread.</summary>
    public DateTime? ReadAt { get; set; }
}

internal sealed class AgentNotificationConfiguration : IEntityTypeConfiguration<AgentNotification>
{
    public void Configure(EntityTypeBuilder<AgentNotification> builder)
    {
        builder.ToTable("Notifications");
        builder.Property(n => n.Kind).HasMaxLength(20);

        // One line per conversation and kind: the writer updates it, and a race between two writers fails the second.
        builder.HasIndex(n => new { n.AgentId, n.ConversationId, n.Kind }).IsUnique();
        builder.HasIndex(n => new { n.AgentId, n.TicketId, n.Kind }).IsUnique();
        // A line is about a conversation or a ticket, never both or neither (the ticket's foreign key is declared in
        // Persistence/NotificationTicketKey.cs, outside both capabilities).
        builder.ToTable(t => t.HasCheckConstraint("CK_Notifications_Subject", "(\"ConversationId\" IS NULL) <> (\"TicketId\" IS NULL)"));
        builder.HasIndex(n => new { n.AgentId, n.UpdatedAt });
        builder.HasIndex(n => n.UpdatedAt);

        // A deleted conversation (retention, erasure) takes its lines with it.
        builder.HasOne<Conversation>().WithMany().HasForeignKey(n => n.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AgentUser>().WithMany().HasForeignKey(n => n.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}
