using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// The bot's "is anyone there?": the inbox is within business hours (time zone, holidays) and an agent of the
/// workspace is online and connected. Connections without a known person (older console circuits) count as
/// online, as before routing existed.
/// </summary>
internal sealed class AgentAvailability(
    IDbContextFactory<KefuDbContext> dbFactory, IAgentPresence presence, IOptions<RoutingOptions> options, TimeProvider time) : IAgentAvailability
{
    public async Task<bool> AnyAgentAvailableAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken)
    {
        if (presence.Count(tenantId) == 0 && options.Value.RequireConnection)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!(await HoursAsync(db, inboxId, cancellationToken)).IsOpen(time.GetUtcNow()))
        {
            return false;
        }

        var away = await db.AgentProfiles.AsNoTracking().Where(p => p.TenantId == tenantId && p.Presence != PresenceState.Online)
            .Select(p => p.UserId).ToListAsync(cancellationToken);
        var online = await db.Users.Where(u => u.TenantId == tenantId).Select(u => u.Id).ToListAsync(cancellationToken);
        return online.Any(id => !away.Contains(id) && (!options.Value.RequireConnection || presence.IsPresent(id, options.Value.PresenceGrace))) ||
               presence.Count(tenantId) > online.Count(presence.IsConnected);
    }

    public async Task<DateTimeOffset?> BackAtAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hours = await HoursAsync(db, inboxId, cancellationToken);
        var now = time.GetUtcNow();
        return hours.IsOpen(now) ? null : hours.NextOpening(now);
    }

    public async Task<InboxClosed?> ClosedAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.InboxRoutings.AsNoTracking().FirstOrDefaultAsync(r => r.InboxId == inboxId && r.TenantId == tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var hours = row?.Hours();
        if (row is null || hours is null || hours.IsOpen(now))
        {
            return null;
        }

        return new InboxClosed(hours.NextOpening(now), row.ClosedMessageEn, row.ClosedMessageZh, row.ClosedLeaveMessage);
    }

    private static async Task<WeeklyHours> HoursAsync(KefuDbContext db, Guid inboxId, CancellationToken cancellationToken)
    {
        var row = await db.InboxRoutings.AsNoTracking().FirstOrDefaultAsync(r => r.InboxId == inboxId, cancellationToken);
        return row?.Hours() ?? WeeklyHours.Parse(null, null, null);
    }
}
