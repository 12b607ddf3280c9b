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
    public async Task<IReadOnlySet<string>> ExternalIdsWithHtmlAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, CancellationToken ct) =>
        (await HtmlMailAsync(tenantId, ticketIds, ct)).Select(r => ReceiveMail.ClientId(r.InboxId, r.HeaderMessageId)).ToHashSet(StringComparer.Ordinal);

    public async Task<string?> HtmlAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, string externalId, CancellationToken ct) =>
        (await HtmlMailAsync(tenantId, ticketIds, ct)).FirstOrDefault(r => ReceiveMail.ClientId(r.InboxId, r.HeaderMessageId) == externalId)?.Html;

    // A ticket's received mails are few (one per customer line): read them and hash their ids here.
    private async Task<List<EmailRecord>> HtmlMailAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = ticketIds.ToList();
        return await db.Set<EmailRecord>().AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.TicketId != null && EF.Parameter(ids).Contains(r.TicketId.Value) && r.Direction == EmailDirection.Inbound && r.Html != null)
            .Take(500).ToListAsync(ct);
    }
}
