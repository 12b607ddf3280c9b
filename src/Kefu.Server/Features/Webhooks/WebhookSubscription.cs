using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Webhooks;

/// <summary>Whether a subscription receives events.</summary>
public enum WebhookStatus
{
    /// <summary>Events are queued and sent.</summary>
    Active,

    /// <summary>An admin paused it: nothing is queued; queued deliveries wait.</summary>
    Paused,

    /// <summary>
    /// Kefu paused it after its receiver failed for <see cref="WebhookOptions.PauseAfter"/>, and told the workspace's admins;
    /// resuming it (enabling it again) sends what still waits.
    /// </summary>
    PausedFailing,
}

/// <summary>
/// A workspace's webhook: where to POST which events. The signing secret is kept encrypted with Data Protection (it is
/// needed in clear to sign), shown once when created or rotated and never again.
/// </summary>
internal sealed class WebhookSubscription
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The receiver, an absolute http(s) URL checked by <see cref="WebhookAddressGuard"/>.</summary>
    public required string Url { get; set; }

    /// <summary>What the admin wrote to recognise it; shown as text, never evaluated.</summary>
    public string Description { get; set; } = "";

    /// <summary>The event names, space-separated, each from <see cref="WebhookEventNames"/>.</summary>
    public required string Events { get; set; }

    /// <summary>The signing secret, protected by Data Protection (purpose <see cref="WebhookSecrets.Purpose"/>).</summary>
    public required string ProtectedSecret { get; set; }

    public WebhookStatus Status { get; set; } = WebhookStatus.Active;

    /// <summary>When its receiver started failing (the first failed attempt since the last success), UTC; null while it answers.</summary>
    public DateTime? FailingSince { get; set; }

    /// <summary>The last delivery its receiver accepted, UTC.</summary>
    public DateTime? LastSuccessAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("WebhookSubscriptions");
        builder.Property(s => s.Url).HasMaxLength(WebhookRules.MaxUrlLength);
        builder.Property(s => s.Description).HasMaxLength(WebhookRules.MaxDescriptionLength);
        builder.Property(s => s.Events).HasMaxLength(2000);
        builder.Property(s => s.ProtectedSecret).HasMaxLength(1000);
        builder.Property(s => s.Status).HasMaxLength(20);
        builder.HasIndex(s => new { s.TenantId, s.CreatedAt });
    }
}
