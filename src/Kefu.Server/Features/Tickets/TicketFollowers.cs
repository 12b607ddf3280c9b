using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// A ticket's followers: who may add whom, and the bell lines they get (<see cref="ITicketAlerts"/>) on a public
/// reply, a customer's answer and a status change, written in the same transaction as the change. Anyone who works
/// the ticket follows or unfollows it themselves; adding or removing someone else takes the Settings permission (an
/// admin), and that person must be an agent who can see the ticket. Nobody is told of what they did themselves.
/// </summary>
internal sealed class TicketFollowers(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, ITicketAlerts alerts) : ITicketTitles
{
    public static readonly KefuError NotYours = new("forbidden", "Only an admin adds or removes other followers.");

    /// <summary>Null when the caller may change the followers of <paramref name="tickets"/> to <paramref name="followers"/>.</summary>
    public async Task<KefuError?> CheckReplaceAsync(AgentIdentity caller, IReadOnlyList<Ticket> tickets, IReadOnlyList<Guid> followers, CancellationToken ct)
    {
        var wanted = followers.ToHashSet();
        var othersAfter = wanted.Where(a => a != caller.UserId).ToHashSet();
        var others = tickets.Any(t => !othersAfter.SetEquals(TicketRules.Ids(t.Followers).Where(a => a != caller.UserId)));
        if (others && !await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return NotYours;
        }

        var workspace = await access.GetWorkspaceAsync(caller.TenantId, null, ct);
        foreach (var agent in wanted)
        {
            if (workspace.For(agent) is not { } scope || tickets.Any(t => !TicketRules.Ids(t.Followers).Contains(agent) && !TicketScope.CanSee(scope, workspace, t)))
            {
                return TicketErrors.Invalid("followers", "A follower must be an agent who can see the ticket.");
            }
        }

        return null;
    }

    /// <summary>Adds or raises the followers' lines for <paramref name="kind"/> on <paramref name="db"/> (the caller saves, then <see cref="Announce"/>s).</summary>
    public Task AlertAsync(KefuDbContext db, Ticket t, TicketAlertKind kind, Guid? actorId, DateTime now, CancellationToken ct)
    {
        var told = TicketRules.Ids(t.Followers).Where(a => a != actorId).ToList();
        return told.Count == 0 ? Task.CompletedTask : alerts.AddAsync(db, t.TenantId, t.Id, told, kind, actorId, now, ct);
    }

    /// <summary>Tells the followers' consoles to reload their bell, after the commit.</summary>
    public void Announce(Guid tenantId, IEnumerable<Ticket> tickets) => alerts.Announce(tenantId, tickets.SelectMany(t => TicketRules.Ids(t.Followers)));

    public async Task<IReadOnlyDictionary<Guid, TicketTitle>> TitlesAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Ticket>().AsNoTracking().Where(t => t.TenantId == tenantId && EF.Parameter(ticketIds).Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => new TicketTitle(t.Number, t.Subject), cancellationToken);
    }
}
