namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>One thing in a contact's history that is not a conversation (a ticket, an e-mail thread …).</summary>
/// <param name="Kind">What it is, a stable lowercase word (<c>ticket</c>); the console labels it <c>ContactHistory_{kind}</c>.</param>
/// <param name="Id">Its id in its own capability.</param>
/// <param name="Title">Its subject, shown as text (never as HTML).</param>
/// <param name="Status">Its status, a stable lowercase word (<c>open</c>, <c>solved</c>).</param>
/// <param name="At">When it last changed, UTC: the history is ordered by it.</param>
/// <param name="Href">A console path to open it (<c>/console/tickets/…</c>), relative to the console's origin.</param>
public sealed record ContactHistoryItem(string Kind, Guid Id, string Title, string Status, DateTime At, string Href);

/// <summary>
/// The seam through which other capabilities put their items in a contact's one history (the console's contact page
/// and <c>GET /api/v1/contacts/{id}</c>). The tickets capability registers one
/// (<c>services.AddSingleton&lt;IContactHistorySource, TicketHistory&gt;()</c>); conversations are the contacts
/// capability's own. A source that throws is left out of the page, never breaks it.
/// </summary>
public interface IContactHistorySource
{
    /// <summary>The contact's items in the caller's workspace, newest first, at most <paramref name="limit"/>.</summary>
    /// <param name="tenantId">The workspace: a source returns nothing of another.</param>
    /// <param name="contactId">The contact (after a merge, the survivor holds the moved items).</param>
    /// <param name="limit">Most items to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<ContactHistoryItem>> ListAsync(Guid tenantId, Guid contactId, int limit, CancellationToken cancellationToken);
}
