using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Tickets in a contact's one history (the contacts capability's <see cref="IContactHistorySource"/>), and tickets
/// following their requester when contacts are merged (<see cref="IContactMergeParticipant"/>). Only an agent who may
/// work tickets sees them there (<see cref="TicketGate"/>); a merged ticket is left out, its survivor shows.
/// </summary>
internal sealed class TicketContactHistory(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate) : IContactHistorySource, IContactMergeParticipant
{
    public string Kind => "tickets";

    public async Task<IReadOnlyList<ContactHistoryItem>> ListAsync(AgentIdentity viewer, Guid contactId, int limit, CancellationToken cancellationToken)
    {
        if (await gate.CheckAsync(viewer, cancellationToken) is not null)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = await gate.VisibleAsync(db.Set<Ticket>().AsNoTracking(), viewer, cancellationToken); // the viewer's inboxes and scope (TicketScope)
        var rows = await visible
            .Where(t => t.RequesterId == contactId && t.MergedIntoId == null)
            .OrderByDescending(t => t.UpdatedAt).Take(limit)
            .Select(t => new { t.Id, t.Number, t.Subject, t.Status, t.Source, t.UpdatedAt })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(t => new ContactHistoryItem("ticket", t.Id, $"#{t.Number} {t.Subject}", Word(t.Status), t.UpdatedAt, $"/console/tickets/{t.Id}", Channel(t.Source)));
    }

    public Task<int> MoveAsync(KefuDbContext db, Guid tenantId, Guid fromId, Guid intoId, CancellationToken cancellationToken) =>
        db.Set<Ticket>().Where(t => t.TenantId == tenantId && t.RequesterId == fromId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RequesterId, intoId), cancellationToken);

    /// <summary>The status as the history's stable lowercase word (<c>on_hold</c>).</summary>
    private static string Word(TicketStatus status) => status == TicketStatus.OnHold ? "on_hold" : status.ToString().ToLowerInvariant();

    private static string? Channel(TicketSource source) => source switch
    {
        TicketSource.Email => "email",
        TicketSource.OfflineMessage => "widget",
        TicketSource.Api => "api",
        _ => null,
    };
}
