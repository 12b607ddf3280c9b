using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Webhooks;

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first attempt or, after a failed one, for its next (<see cref="WebhookDelivery.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Succeeded,

    /// <summary>Failed for <see cref="WebhookOptions.RetryFor"/>: no more attempts unless replayed.</summary>
    Dead,
}

/// <summary>
/// One event for one subscription, with its last attempt: the delivery log. Written by
/// <see cref="EnqueueWebhookDeliveries"/> (one row per subscription and event: a replayed outbox event finds its row),
/// sent by <see cref="WebhookSender"/>. Holds the request body (ids, never message text) and the start of the response.
/// </summary>
internal sealed class WebhookDelivery
{
    /// <summary>Increasing: the log's order and paging cursor.</summary>
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid SubscriptionId { get; set; }

    /// <summary>The event's id, the same for every subscription and every attempt: receivers de-duplicate by it.</summary>
    public Guid EventId { get; set; }
    public required string EventType { get; set; }

    /// <summary>The JSON body POSTed, exactly as signed.</summary>
    public required string Payload { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// After this, UTC, a failed attempt makes it dead: <see cref="WebhookOptions.RetryFor"/> after it was queued, or
    /// after it was replayed (a replay starts the retries afresh).
    /// </summary>
    public DateTime RetryUntil { get; set; }

    /// <summary>When it is due, UTC; while an attempt runs, a little after that attempt's deadline, so no other pass takes it.</summary>
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }

    /// <summary>The receiver's HTTP status of the last attempt; null when there was no answer.</summary>
    public int? ResponseStatus { get; set; }

    /// <summary>The start of the receiver's answer (text, shown as text).</summary>
    public string? ResponseBody { get; set; }

    /// <summary>Why the last attempt failed without an HTTP answer, or what was wrong with it.</summary>
    public string? Error { get; set; }
    public int? DurationMs { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.Status).HasMaxLength(20);
        builder.Property(d => d.ResponseBody).HasMaxLength(WebhookRules.StoredResponseChars);
        builder.Property(d => d.Error).HasMaxLength(500);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);

        // A replayed outbox event inserts nothing (ON CONFLICT DO NOTHING on this key).
        builder.HasIndex(d => new { d.SubscriptionId, d.EventId }).IsUnique();

        // The sender's "what is due" and the log's pages.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.SubscriptionId, d.Id });
    }
}
