using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// A contact's tickets as personal data (ADR 0028): their export holds <c>tickets.json</c>, every ticket they requested with
/// its whole thread; erasing the contact strips the subjects and thread texts of those tickets (numbers, statuses and times
/// stay for reports, as an anonymised conversation's do).
/// </summary>
internal sealed class TicketPersonalData : IPersonalDataHolder
{
    public Task EraseConversationsAsync(
        KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken) =>
        Task.CompletedTask; // a ticket made from a conversation copied its transcript: it goes with the requester below

    public async Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken)
    {
        var tickets = db.Set<Ticket>().Where(t => t.RequesterId != null && contactIds.Contains(t.RequesterId.Value)).Select(t => t.Id);
        await db.Set<TicketEntry>().Where(e => tickets.Contains(e.TicketId))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Text, PersonalData.RemovedText), cancellationToken);
        tally.Add("tickets", await db.Set<Ticket>().Where(t => t.RequesterId != null && contactIds.Contains(t.RequesterId.Value))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Subject, PersonalData.RemovedText), cancellationToken));
    }

    public async Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken)
    {
        var tickets = await db.Set<Ticket>().AsNoTracking().Where(t => t.RequesterId == contactId).OrderBy(t => t.Number)
            .Select(t => new { t.Id, t.Number, t.Subject, t.Status, t.Source, t.CreatedAt, t.UpdatedAt, t.MergedIntoId }).ToListAsync(cancellationToken);
        var ids = tickets.ConvertAll(t => t.Id);
        var lines = (await db.Set<TicketEntry>().AsNoTracking().Where(e => EF.Parameter(ids).Contains(e.TicketId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.TicketId);
        await export.AddJsonAsync("tickets.json", tickets.Select(t => new
        {
            t.Id, t.Number, t.Subject, t.Status, t.Source, t.CreatedAt, t.UpdatedAt, t.MergedIntoId,
            Thread = lines[t.Id].OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Select(e => new { e.Kind, e.AuthorName, e.Text, e.CreatedAt }),
        }), cancellationToken);
    }
}
