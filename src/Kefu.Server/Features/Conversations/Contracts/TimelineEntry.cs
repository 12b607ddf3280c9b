using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>
/// A row of a conversation's timeline: one <see cref="Contracts.ConversationEvent"/> with who did it and when,
/// written only by <see cref="Contracts.ConversationJournal"/>. Messages are their own record and are not repeated here.
/// </summary>
internal sealed class TimelineEntry
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public required string Type { get; set; }

    /// <summary><c>visitor</c>, <c>agent</c>, <c>bot</c>, <c>system</c> or <c>integration</c>.</summary>
    public required string ActorType { get; set; }
    public Guid? ActorId { get; set; }

    /// <summary>The event as JSON (its timeline form, see <see cref="Contracts.ConversationEventCatalogue"/>).</summary>
    public string? Data { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> builder)
    {
        builder.ToTable("ConversationEvents");
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.ActorType).HasMaxLength(20);
        builder.Property(e => e.Data).HasMaxLength(8000);
        builder.HasIndex(e => new { e.ConversationId, e.Id });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(e => e.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
