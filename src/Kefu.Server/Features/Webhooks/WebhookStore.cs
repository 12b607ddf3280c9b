using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// What every webhook use case starts with: the settings permission, then the webhook in the caller's workspace (another
/// workspace's is "not found", never "forbidden": its existence is not the caller's to learn).
/// </summary>
internal sealed class WebhookStore(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access)
{
    /// <summary>A context and the caller's webhook, tracked; or the error. The caller disposes the context.</summary>
    public async Task<(KefuDbContext? Db, WebhookSubscription? Webhook, KefuError? Error)> OpenAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, null, WebhookErrors.Forbidden);
        }

        var db = await dbFactory.CreateDbContextAsync(ct);
        var webhook = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id && s.TenantId == caller.TenantId, ct);
        if (webhook is null)
        {
            await db.DisposeAsync();
            return (null, null, WebhookErrors.NotFound);
        }

        return (db, webhook, null);
    }
}
