using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Persistence;

/// <summary>
/// A durable event, written in the same transaction as the change it describes and handed to the
/// durable consumers (bot, routing, webhooks, reporting) at least once by <see cref="OutboxDispatcher"/>.
/// Written only by <see cref="Features.Conversations.Contracts.ConversationJournal"/>.
/// </summary>
internal sealed class OutboxMessage
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Event name, <c>resource.action</c>: <c>message.created</c>, <c>conversation.resolved</c> …</summary>
    public required string Type { get; set; }

    /// <summary>The conversation (or other resource) the event is about.</summary>
    public Guid SubjectId { get; set; }

    /// <summary>
    /// JSON: ids and reasons, never message text or personal data. Unbounded: a group commit's message events
    /// share one row, up to the writer's batch size.
    /// </summary>
    public required string Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }
    public int Attempts { get; set; }

    /// <summary>Space-separated names of the consumers that failed on this row and still owe it; null: all of them.</summary>
    public string? Pending { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("Outbox");
        builder.Property(o => o.Type).HasMaxLength(64);
        builder.Property(o => o.LastError).HasMaxLength(2000);
        builder.Property(o => o.Pending).HasMaxLength(1000);
        builder.HasIndex(o => new { o.ProcessedAt, o.Id });
    }
}
