using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Notifications;

/// <summary>A line of the caller's bell, with what is needed to say it in the reader's language.</summary>
/// <param name="Id">The line.</param>
/// <param name="Kind">What it is about.</param>
/// <param name="ConversationId">The conversation it opens; null for a ticket's line.</param>
/// <param name="ContactName">The conversation's contact as named now (after an erasure, the anonymised name); empty for a ticket's line.</param>
/// <param name="ActorName">The colleague who caused it (a transfer), when a person did.</param>
/// <param name="Count">How many times it happened since it was last read.</param>
/// <param name="CreatedAt">First raised, UTC.</param>
/// <param name="UpdatedAt">Last raised, UTC.</param>
/// <param name="ReadAt">When the caller read it, UTC; null while unread.</param>
/// <param name="TicketId">The ticket it opens (the ticket kinds); null for a conversation's line.</param>
/// <param name="Ticket">That ticket's number and subject as they are now.</param>
/// <param name="NoteId">The private note a mention line opens (in <paramref name="ConversationId"/>); null for the other kinds.</param>
public sealed record NotificationDto(
    Guid Id, NotificationKind Kind, Guid? ConversationId, string ContactName, string? ActorName, int Count, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ReadAt,
    Guid? TicketId = null, TicketTitle? Ticket = null, Guid? NoteId = null);

/// <summary>A page of lines, newest first.</summary>
/// <param name="Items">The lines of this page.</param>
/// <param name="Total">Lines matching the query.</param>
/// <param name="Unread">The caller's unread lines, whatever the query: the bell's count.</param>
/// <param name="NextCursor">The next page's <c>cursor</c> (keyset on the last line's time and id); null on the last page.</param>
public sealed record NotificationPage(IReadOnlyList<NotificationDto> Items, int Total, int Unread, string? NextCursor = null);

/// <summary>
/// <c>GET /api/v1/notifications?unread=true&amp;limit=30&amp;cursor=…</c>: the caller's own bell, newest first, paged by the
/// previous page's <c>nextCursor</c> (the older <c>skip</c> still works). Only their lines exist for them; nothing here
/// names another agent's. The console's bell calls the same handler.
/// </summary>
internal sealed class ListNotifications(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, ITicketTitles tickets)
{
    public const int MaxLimit = 100;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/notifications", async Task<Results<Ok<NotificationPage>, ProblemHttpResult>> (
                bool? unread, int? skip, int? limit, string? cursor, HttpContext http, ListNotifications handler, CancellationToken ct) =>
            {
                if (!Paging.TryReadCursor(cursor, out var after))
                {
                    return KefuProblems.Problem(Paging.InvalidCursor);
                }

                var (page, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, unread == true, skip ?? 0, limit ?? 30, ct, after);
                return error is null ? TypedResults.Ok(page!) : KefuProblems.Problem(error);
            })
            .WithName("ListNotifications")
            .WithTags("Notifications");

    public async Task<(NotificationPage?, KefuError?)> HandleAsync(
        AgentIdentity caller, bool unreadOnly, int skip, int limit, CancellationToken cancellationToken, (DateTime At, Guid Id)? after = null)
    {
        if (skip < 0 || limit is < 1 or > MaxLimit)
        {
            return (null, NotificationErrors.Invalid(skip < 0 ? "skip" : "limit", $"skip must be 0 or more and limit 1 to {MaxLimit}."));
        }

        if (await access.ForAsync(caller, cancellationToken) is null)
        {
            return (null, NotificationErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // One snapshot for the counts and the page: a line written between the queries would otherwise be listed but
        // not counted, and the bell would show a line with no unread count.
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var mine = db.Notifications.AsNoTracking().Where(n => n.AgentId == caller.UserId && n.TenantId == caller.TenantId);
        var query = unreadOnly ? mine.Where(n => n.ReadAt == null) : mine;
        var total = await query.CountAsync(cancellationToken);
        var unread = unreadOnly ? total : await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
        if (after is var (at, id))
        {
            // A line raised again while a client pages moves to the top: it is seen on the next first page.
            query = query.Where(n => n.UpdatedAt < at || (n.UpdatedAt == at && n.Id.CompareTo(id) < 0));
        }

        // Names are read now, not stored with the line: the reader sees the contact as they are named today.
        // A line is about a conversation (its contact's name) or a ticket (its number and subject, from Tickets).
        var items = await (
                from n in query
                orderby n.UpdatedAt descending, n.Id descending
                select new NotificationDto(n.Id, n.Kind, n.ConversationId,
                    db.Conversations.Where(c => c.Id == n.ConversationId).Join(db.Contacts, c => c.ContactId, k => k.Id, (c, k) => k.Name).FirstOrDefault() ?? "",
                    n.ActorId == null ? null : db.Users.Where(u => u.Id == n.ActorId && u.TenantId == n.TenantId).Select(u => u.DisplayName).FirstOrDefault(),
                    n.Count, n.CreatedAt, n.UpdatedAt, n.ReadAt, n.TicketId, null, n.NoteId))
            .Skip(skip).Take(limit + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = Paging.Cursor(items[^1].UpdatedAt, items[^1].Id);
        }

        var ticketIds = items.Where(i => i.TicketId is not null).Select(i => i.TicketId!.Value).Distinct().ToList();
        if (ticketIds.Count > 0)
        {
            var titles = await tickets.TitlesAsync(caller.TenantId, ticketIds, cancellationToken);
            items = [.. items.Select(i => i.TicketId is { } t ? i with { Ticket = titles.GetValueOrDefault(t) } : i)];
        }

        return (new NotificationPage(items, total, unread, next), null);
    }
}
