using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Who may work tickets, and the checks on the people a ticket names. An agent whose role holds
/// <see cref="Permission.Tickets"/> sees the tickets of their workspace within their scope and inboxes
/// (<see cref="TicketScope"/>); another workspace's ticket and one out of scope are not found, never forbidden.
/// </summary>
internal sealed class TicketGate(IAccessControl access)
{
    /// <summary>Null when <paramref name="agent"/> may work tickets now; otherwise forbidden.</summary>
    public async Task<KefuError?> CheckAsync(AgentIdentity agent, CancellationToken ct) =>
        await access.AllowsAsync(agent, Permission.Tickets, ct) ? null : TicketErrors.Forbidden;

    /// <summary>The ticket of the workspace (tracked), or null. For channels and the system; people go through <see cref="FindVisibleAsync"/>.</summary>
    public static Task<Ticket?> FindAsync(KefuDbContext db, Guid tenantId, Guid id, CancellationToken ct) =>
        db.Set<Ticket>().FirstOrDefaultAsync(t => t.Id == id && t.TenantId == tenantId, ct);

    /// <summary>The ticket of the caller's workspace (tracked) when it is within their scope; otherwise null (404).</summary>
    public async Task<Ticket?> FindVisibleAsync(KefuDbContext db, AgentIdentity caller, Guid id, CancellationToken ct)
    {
        var ticket = await FindAsync(db, caller.TenantId, id, ct);
        return ticket is not null && await SeesAsync(caller, ticket, ct) ? ticket : null;
    }

    /// <summary>Whether the caller sees <paramref name="ticket"/> (of their workspace) now.</summary>
    public async Task<bool> SeesAsync(AgentIdentity caller, Ticket ticket, CancellationToken ct)
    {
        var workspace = await access.GetWorkspaceAsync(caller.TenantId, caller.UserId, ct);
        return ticket.TenantId == caller.TenantId && workspace.For(caller) is { } mine && TicketScope.CanSee(mine, workspace, ticket);
    }

    /// <summary>The caller's workspace's tickets narrowed to their scope (nothing when they are no longer an agent).</summary>
    public async Task<IQueryable<Ticket>> VisibleAsync(IQueryable<Ticket> tickets, AgentIdentity caller, CancellationToken ct)
    {
        var workspace = await access.GetWorkspaceAsync(caller.TenantId, caller.UserId, ct);
        var scoped = tickets.Where(t => t.TenantId == caller.TenantId);
        return workspace.For(caller) is { } mine ? scoped.Visible(mine, workspace) : scoped.Where(t => false);
    }

    /// <summary>Null when <paramref name="inboxId"/> is an inbox of the workspace the caller may use; otherwise the error on <c>inboxId</c>.</summary>
    public async Task<KefuError?> CheckInboxAsync(KefuDbContext db, AgentIdentity caller, Guid inboxId, CancellationToken ct)
    {
        var mine = (await access.GetWorkspaceAsync(caller.TenantId, caller.UserId, ct)).For(caller);
        return mine is not null && mine.MayUseInbox(inboxId) && await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == caller.TenantId, ct)
            ? null
            : TicketErrors.Invalid("inboxId", "No such inbox.");
    }

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
