using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// The sanitised HTML of the mails that became ticket lines. A received mail's line carries the external id
/// <see cref="ReceiveMail.ClientId"/> of its inbox and <c>Message-ID</c>, so the line is found without a stored link.
/// </summary>
internal sealed class TicketMailOriginals(IDbContextFactory<KefuDbContext> dbFactory) : ITicketMailOriginals
{
    public async Task<IReadOnlySet<string>> ExternalIdsWithHtmlAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await HtmlMailAsync(db, tenantId, ticketIds, ct)).Select(r => r.ExternalId).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<string?> HtmlAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, string externalId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var match = (await HtmlMailAsync(db, tenantId, ticketIds, ct)).Where(r => r.ExternalId == externalId).Select(r => (Guid?)r.Id).FirstOrDefault();
        return match is not { } id ? null : await db.Set<EmailRecord>().AsNoTracking().Where(r => r.Id == id).Select(r => r.Html).SingleOrDefaultAsync(ct);
    }

    // A ticket's received mails are few (one per customer line): read their keys (never their bodies, which may be
    // megabytes each) and hash the external ids here. Ordered so that a very long thread always keeps the same 500.
    private static async Task<List<(Guid Id, string ExternalId)>> HtmlMailAsync(KefuDbContext db, Guid tenantId, IReadOnlyCollection<Guid> ticketIds, CancellationToken ct)
    {
        var ids = ticketIds.ToList();
        var rows = await db.Set<EmailRecord>().AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.TicketId != null && EF.Parameter(ids).Contains(r.TicketId.Value) && r.Direction == EmailDirection.Inbound && r.Html != null)
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.InboxId, r.HeaderMessageId })
            .Take(500)
            .ToListAsync(ct);
        return rows.ConvertAll(r => (r.Id, ReceiveMail.ClientId(r.InboxId, r.HeaderMessageId)));
    }
}
