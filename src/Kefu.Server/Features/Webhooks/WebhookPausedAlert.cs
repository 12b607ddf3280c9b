using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Webhooks;

/// <summary>A webhook Kefu paused, as the bell shows it to those who may resume it.</summary>
/// <param name="Id">The webhook.</param>
/// <param name="Url">Its receiver (shown as text).</param>
/// <param name="Description">What the admin called it.</param>
/// <param name="FailingSince">When its receiver started failing, UTC.</param>
/// <param name="PausedAt">When it was paused, UTC.</param>
public sealed record PausedWebhookDto(Guid Id, string Url, string Description, DateTime? FailingSince, DateTime PausedAt);

/// <summary>
/// Tells a workspace's admins (everyone with the settings permission) that Kefu paused a failing webhook: their bells
/// reload at once, on every device, and show a line for each webhook paused this way for as long as it stays paused.
/// The line is the webhook's state rather than a stored bell line, so it cannot go stale: resuming or deleting the
/// webhook removes it for every admin.
/// </summary>
internal sealed class WebhookPausedAlert(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IMessageFanout fanout)
{
    /// <summary>Rings the bells of the webhook's workspace's admins.</summary>
    public async Task RaiseAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.WebhookSubscriptions.Where(s => s.Id == subscriptionId).Select(s => (Guid?)s.TenantId).FirstOrDefaultAsync(cancellationToken);
        if (tenant is not { } tenantId)
        {
            return;
        }

        foreach (var admin in (await access.GetWorkspaceAsync(tenantId, ct: cancellationToken)).Agents.Where(a => a.Has(Permission.Settings)))
        {
            fanout.NotificationsChanged(tenantId, admin.UserId);
        }
    }

    /// <summary>The webhooks of the caller's workspace Kefu paused; empty for someone without the settings permission.</summary>
    public async Task<IReadOnlyList<PausedWebhookDto>> ListAsync(AgentIdentity caller, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookSubscriptions.AsNoTracking()
            .Where(s => s.TenantId == caller.TenantId && s.Status == WebhookStatus.PausedFailing)
            .OrderByDescending(s => s.UpdatedAt)
            .Select(s => new PausedWebhookDto(s.Id, s.Url, s.Description, s.FailingSince, s.UpdatedAt))
            .ToListAsync(cancellationToken);
    }
}
