using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>One message, numbered by <see cref="Seq"/> within its conversation.</summary>
internal sealed class Message
{
    public Guid Id { get; set; }
    public Guid ConversationId { get; set; }
    public long Seq { get; set; }

    /// <summary>Chosen by the sending client; a retry with the same id returns the first result.</summary>
    public required string ClientMessageId { get; set; }
    public SenderType SenderType { get; set; }

    /// <summary>Contact id for visitors, agent user id for agents, null for bot and system.</summary>
    public Guid? SenderId { get; set; }
    public string? SenderName { get; set; }
    public required string Text { get; set; }
    public Guid? AttachmentId { get; set; }

    /// <summary>Bot buttons as a small JSON array of <see cref="MessageAction"/>; null for ordinary messages.</summary>
    public string? Actions { get; set; }

    /// <summary>How many personal data values <see cref="Text"/> holds in masked form; their originals are kept encrypted apart.</summary>
    public int MaskedValues { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.ClientMessageId).HasMaxLength(64);
        builder.Property(m => m.SenderType).HasMaxLength(20);
        builder.Property(m => m.SenderName).HasMaxLength(100);
        builder.Property(m => m.Text).HasMaxLength(MessageRules.MaxTextLength);
        builder.Property(m => m.Actions).HasMaxLength(4000);
        builder.HasIndex(m => new { m.ConversationId, m.Seq }).IsUnique();
        builder.HasIndex(m => new { m.ConversationId, m.ClientMessageId }).IsUnique();

        // Few messages carry a file: a partial index keeps the foreign key's lookups (an attachment's deletion) cheap
        // without an index write for every message on the hot path.
        builder.HasIndex(m => m.AttachmentId).HasFilter("\"AttachmentId\" IS NOT NULL");
        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Attachment>().WithMany().HasForeignKey(m => m.AttachmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
