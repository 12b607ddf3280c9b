using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Webhooks.Contracts;

/// <summary>What other features may ask about a workspace's webhooks (an automation rule names one) without using the webhooks' own types.</summary>
internal static class WebhookLookup
{
    /// <summary>Whether <paramref name="webhookId"/> is a webhook of <paramref name="tenantId"/>'s workspace.</summary>
    public static Task<bool> ExistsAsync(KefuDbContext db, Guid tenantId, Guid webhookId, CancellationToken ct) =>
        db.WebhookSubscriptions.AnyAsync(w => w.Id == webhookId && w.TenantId == tenantId, ct);
}
