using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// A state change in a conversation's timeline (<c>conversation.created</c>, <c>conversation.resolved</c> …),
/// with who did it and when. Messages are their own record and are not repeated here.
/// </summary>
internal sealed class ConversationEvent
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public required string Type { get; set; }

    /// <summary><c>visitor</c>, <c>agent</c>, <c>bot</c> or <c>system</c>.</summary>
    public required string ActorType { get; set; }
    public Guid? ActorId { get; set; }

    /// <summary>Small JSON object with the event's details (reason, previous status …).</summary>
    public string? Data { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class ConversationEventConfiguration : IEntityTypeConfiguration<ConversationEvent>
{
    public void Configure(EntityTypeBuilder<ConversationEvent> builder)
    {
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.ActorType).HasMaxLength(20);
        builder.Property(e => e.Data).HasMaxLength(8000);
        builder.HasIndex(e => new { e.ConversationId, e.Id });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(e => e.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
