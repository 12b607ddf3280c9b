using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>Other capabilities' way to routing's handlers (see <see cref="IRoutingCommands"/>).</summary>
internal sealed class RoutingCommands(ChangePriority changePriority, ReassignConversation reassign, IDbContextFactory<KefuDbContext> dbFactory) : IRoutingCommands
{
    public async Task<KefuError?> SetPriorityAsync(AgentIdentity agent, Guid conversationId, string priority, CancellationToken cancellationToken) =>
        (await changePriority.HandleAsync(agent, conversationId, new PriorityRequest(priority), cancellationToken)).Item2;

    public async Task<KefuError?> AssignAsync(AgentIdentity supervisor, Guid conversationId, Guid? agentId, Guid? teamId, CancellationToken cancellationToken) =>
        (await reassign.HandleAsync(supervisor, conversationId, new TransferRequest(agentId, teamId, null), cancellationToken)).Item2;

    public async Task<bool> IsOpenAsync(Guid tenantId, Guid inboxId, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.InboxRoutings.AsNoTracking().Where(r => r.InboxId == inboxId && r.TenantId == tenantId)
            .Select(r => new { r.BusinessHours, r.TimeZone, r.Holidays }).FirstOrDefaultAsync(cancellationToken);
        return row is null || WeeklyHours.Parse(row.BusinessHours, row.TimeZone, row.Holidays).IsOpen(instant);
    }
}
