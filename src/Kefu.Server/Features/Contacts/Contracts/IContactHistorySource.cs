using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>One thing in a contact's history that is not a conversation (a ticket, an e-mail thread …).</summary>
/// <param name="Kind">What it is, a stable lowercase word (<c>ticket</c>); the console labels it <c>ContactHistory_{kind}</c>.</param>
/// <param name="Id">Its id in its own capability.</param>
/// <param name="Title">Its subject, shown as text (never as HTML).</param>
/// <param name="Status">Its status, a stable lowercase word (<c>open</c>, <c>solved</c>).</param>
/// <param name="At">When it last changed, UTC: the history is ordered by it.</param>
/// <param name="Href">A console path to open it (<c>/console/tickets/…</c>), relative to the console's origin.</param>
/// <param name="Channel">Where it came from (<c>widget</c>, <c>email</c>, <c>wechat</c>, <c>api</c> …), a stable lowercase word, when known.</param>
public sealed record ContactHistoryItem(string Kind, Guid Id, string Title, string Status, DateTime At, string Href, string? Channel = null);

/// <summary>
/// The seam through which other capabilities put their items in a contact's one history (the console's contact page
/// and <c>GET /api/v1/contacts/{id}</c>). The tickets capability registers one (<c>TicketContactHistory</c>);
/// conversations are the contacts capability's own. A source that throws is left out of the page, never breaks it.
/// </summary>
public interface IContactHistorySource
{
    /// <summary>
    /// The contact's items that <paramref name="viewer"/> may see, newest first, at most <paramref name="limit"/>: nothing
    /// of another workspace, and nothing the viewer's permissions or scope hide from them elsewhere.
    /// </summary>
    /// <param name="viewer">The agent looking at the contact (their workspace, role and scope).</param>
    /// <param name="contactId">The contact (after a merge, the survivor holds the moved items).</param>
    /// <param name="limit">Most items to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<ContactHistoryItem>> ListAsync(AgentIdentity viewer, Guid contactId, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// Rows of another capability that belong to a contact and must follow it when it is merged (tickets' requester …).
/// Called inside the merge's transaction with its context, so a merge moves everything or nothing.
/// </summary>
internal interface IContactMergeParticipant
{
    /// <summary>A lowercase plural word for the audit entry's count (<c>tickets</c>).</summary>
    string Kind { get; }

    /// <summary>Points the workspace's rows of <paramref name="fromId"/> at <paramref name="intoId"/> (set-based; the caller commits).</summary>
    /// <returns>How many rows moved (for the audit entry).</returns>
    Task<int> MoveAsync(KefuDbContext db, Guid tenantId, Guid fromId, Guid intoId, CancellationToken cancellationToken);
}
