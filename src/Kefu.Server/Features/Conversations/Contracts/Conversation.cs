using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>A thread between one contact and the business in one inbox.</summary>
internal sealed class Conversation
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }
    public Guid ContactId { get; set; }
    public ConversationStatus Status { get; set; } = ConversationStatus.Open;
    public ConversationHandler Handler { get; set; } = ConversationHandler.Queue;

    /// <summary>
    /// The agent holding it. Routing assigns only by a conditional claim (<c>WHERE AssigneeId IS NULL</c>); as a
    /// concurrency token it also makes the writer's reply-takes-it rule lose, not overwrite, when a claim won meanwhile.
    /// </summary>
    public Guid? AssigneeId { get; set; }
    public ConversationPriority Priority { get; set; } = ConversationPriority.Normal;

    /// <summary>
    /// Seq of the newest message. The writer increments it in the same transaction as the insert;
    /// as a concurrency token it makes two nodes that raced for the same Seq retry instead of
    /// both committing.
    /// </summary>
    public long LastSeq { get; set; }

    /// <summary>Visitor messages since an agent last read the conversation.</summary>
    public int UnreadCount { get; set; }
    public string? LastMessagePreview { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastMessageAt { get; set; }
    public DateTime? ResolvedAt { get; set; }

    /// <summary>
    /// When the visitor last entered the line (the queue entry's enqueue time), set by routing in the transaction that
    /// queues it. Waiting times count from here, not from the last message, so a visitor who writes again while waiting
    /// does not start over. Null for a conversation that never waited.
    /// </summary>
    public DateTime? WaitingSince { get; set; }

    /// <summary>
    /// The team whose line the conversation last joined (the inbox's routing team or a transfer's target), set with
    /// <see cref="WaitingSince"/>: the Team view lists unassigned conversations waiting for one's teams by it.
    /// </summary>
    public Guid? TeamId { get; set; }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.Property(c => c.LastSeq).IsConcurrencyToken();
        builder.Property(c => c.AssigneeId).IsConcurrencyToken();
        builder.Property(c => c.LastMessagePreview).HasMaxLength(200);
        builder.Property(c => c.Status).HasMaxLength(20);
        builder.Property(c => c.Handler).HasMaxLength(20);
        builder.Property(c => c.Priority).HasMaxLength(20);
        builder.HasIndex(c => new { c.TenantId, c.Status, c.LastMessageAt });
        builder.HasIndex(c => new { c.ContactId, c.InboxId, c.CreatedAt });
        builder.HasIndex(c => new { c.AssigneeId, c.Status });
        // Quality rescoring walks a workspace's resolved conversations oldest resolution first, a batch at a time from a
        // cursor (Features/Quality/Rescorer): without this every batch scanned and sorted all of them.
        builder.HasIndex(c => new { c.TenantId, c.Status, c.ResolvedAt });
        builder.HasOne<Inbox>().WithMany().HasForeignKey(c => c.InboxId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
    }
}
