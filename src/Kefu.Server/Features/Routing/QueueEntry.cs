using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// A conversation that needs a person and has none yet. Deleted in the transaction that assigns it, so a row
/// here always means "still waiting" (or "left a message").
/// </summary>
internal sealed class QueueEntry
{
    public Guid ConversationId { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }
    public Guid ContactId { get; set; }
    public QueueState State { get; set; } = QueueState.Waiting;

    /// <summary>Higher goes first: VIP adds 10 to the conversation's priority (low 0 … urgent 3).</summary>
    public int Rank { get; set; }
    public DateTime EnqueuedAt { get; set; }

    /// <summary>Skills the agent needs (inbox, visitor's department, bot intent), as in agent profiles.</summary>
    public string RequiredSkills { get; set; } = "";
    public Guid? TeamId { get; set; }

    /// <summary>The visitor's previous agent, tried first when the inbox returns visitors to them.</summary>
    public Guid? PreferredAgentId { get; set; }
    public Guid? OfferedTo { get; set; }
    public DateTime? OfferExpiresAt { get; set; }

    /// <summary>Agents who declined or let an offer expire, space separated ids: not offered again.</summary>
    public string Declined { get; set; } = "";
}

internal sealed class QueueEntryConfiguration : IEntityTypeConfiguration<QueueEntry>
{
    public void Configure(EntityTypeBuilder<QueueEntry> builder)
    {
        builder.HasKey(q => q.ConversationId);
        builder.Property(q => q.State).HasMaxLength(20);
        builder.Property(q => q.RequiredSkills).HasMaxLength(1000);
        builder.Property(q => q.Declined).HasMaxLength(4000);
        builder.HasIndex(q => new { q.TenantId, q.State, q.EnqueuedAt });
        builder.HasOne<Conversation>().WithOne().HasForeignKey<QueueEntry>(q => q.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
