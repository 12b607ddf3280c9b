using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.VisitorEvents;

/// <summary>
/// A visitor's events and attributes say what they did and who they are on the host page: erased with the contact
/// (also when the contact is anonymised and its row stays), and exported.
/// </summary>
internal sealed class VisitorEventsPersonalData : IPersonalDataHolder
{
    public Task EraseConversationsAsync(KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken)
    {
        var ids = contactIds.ToList();
        var events = await db.Set<VisitorEvent>().Where(e => ids.Contains(e.ContactId)).ExecuteDeleteAsync(cancellationToken);
        var attributes = await db.Set<VisitorAttributeSet>().Where(a => ids.Contains(a.ContactId)).ExecuteDeleteAsync(cancellationToken);
        // Counted only when there were some: most contacts never came through a page that uses the SDK.
        if (events > 0)
        {
            tally.Add("visitorEvents", events);
        }

        if (attributes > 0)
        {
            tally.Add("visitorAttributes", attributes);
        }
    }

    public async Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken)
    {
        var events = await db.Set<VisitorEvent>().AsNoTracking().Where(e => e.ContactId == contactId).OrderBy(e => e.Id)
            .Select(e => new { e.Name, e.Props, e.OccurredAt }).ToListAsync(cancellationToken);
        var attributes = await db.Set<VisitorAttributeSet>().AsNoTracking().Where(a => a.ContactId == contactId)
            .Select(a => new { a.Values, a.UpdatedAt }).FirstOrDefaultAsync(cancellationToken);
        await export.AddJsonAsync("visitor-events.json", new { events, attributes }, cancellationToken);
    }
}
