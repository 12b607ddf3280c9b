using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Who may work tickets, and the checks on the people a ticket names. Any agent whose role holds
/// <see cref="Permission.Tickets"/> sees every ticket of their workspace (tickets are not scoped by inbox); another
/// workspace's ticket is not found, never forbidden.
/// </summary>
internal sealed class TicketGate(IAccessControl access)
{
    /// <summary>Null when <paramref name="agent"/> may work tickets now; otherwise forbidden.</summary>
    public async Task<KefuError?> CheckAsync(AgentIdentity agent, CancellationToken ct) =>
        await access.AllowsAsync(agent, Permission.Tickets, ct) ? null : TicketErrors.Forbidden;

    /// <summary>The ticket of the agent's workspace (tracked), or null.</summary>
    public static Task<Ticket?> FindAsync(KefuDbContext db, Guid tenantId, Guid id, CancellationToken ct) =>
        db.Set<Ticket>().FirstOrDefaultAsync(t => t.Id == id && t.TenantId == tenantId, ct);

    /// <summary>Null when the assignee, team and followers are people and teams of the workspace; otherwise the error on that field.</summary>
    public async Task<KefuError?> CheckPeopleAsync(KefuDbContext db, Guid tenantId, Guid? assigneeId, Guid? teamId, IReadOnlyList<Guid>? followers, CancellationToken ct)
    {
        var workspace = await access.GetWorkspaceAsync(tenantId, null, ct);
        if (assigneeId is { } a && workspace.For(a) is null)
        {
            return TicketErrors.Invalid("assigneeId", "The assignee is not an active agent of this workspace.");
        }

        if (followers is not null && (followers.Count > TicketRules.MaxFollowers || followers.Any(f => workspace.For(f) is null)))
        {
            return TicketErrors.Invalid("followers", $"Followers are at most {TicketRules.MaxFollowers} active agents of this workspace.");
        }

        return teamId is { } team && !await db.Teams.AnyAsync(x => x.Id == team && x.TenantId == tenantId, ct)
            ? TicketErrors.Invalid("teamId", "No such team in this workspace.")
            : null;
    }
}
