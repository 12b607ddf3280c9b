using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>Which tickets a list shows.</summary>
public enum TicketView
{
    /// <summary>Every ticket not merged away.</summary>
    All,

    /// <summary>Assigned to the caller, not closed.</summary>
    Mine,

    /// <summary>Nobody's, not solved or closed.</summary>
    Unassigned,

    /// <summary>An SLA target due within the next <see cref="ListTickets.BreachingSoonHours"/> hours or breached, still running.</summary>
    BreachingSoon,
}

/// <summary>A ticket list's filters.</summary>
/// <param name="View">Which tickets.</param>
/// <param name="Status">Only this status.</param>
/// <param name="Priority">Only this priority.</param>
/// <param name="AssigneeId">Only this agent's.</param>
/// <param name="Tag">Only with this tag.</param>
/// <param name="RequesterId">Only this customer's.</param>
/// <param name="Sort">The order.</param>
/// <param name="Number">Only the ticket of this number.</param>
/// <param name="Field">Only tickets whose custom field has this value: <c>key:value</c> (<c>refund:true</c>, <c>plan:Gold</c>).</param>
/// <param name="TeamId">Only this team's.</param>
/// <param name="Unassigned">Only nobody's (whatever the status; the Unassigned view also leaves solved and closed out).</param>
/// <param name="BreachingSoon">Only tickets breaching soon, as the BreachingSoon view, combinable with the other filters.</param>
/// <param name="FieldId">A saved view's field filter: the definition, with <paramref name="FieldValue"/> in stored form.</param>
/// <param name="FieldValue">The stored value <paramref name="FieldId"/> must hold.</param>
public sealed record TicketQuery(TicketView View = TicketView.All, TicketStatus? Status = null, TicketPriority? Priority = null, Guid? AssigneeId = null,
    string? Tag = null, Guid? RequesterId = null, TicketSort Sort = TicketSort.Created, long? Number = null, string? Field = null,
    Guid? TeamId = null, bool Unassigned = false, bool BreachingSoon = false, Guid? FieldId = null, string? FieldValue = null);

/// <summary>
/// <c>GET /api/v1/tickets?view=&amp;status=&amp;priority=&amp;assigneeId=&amp;teamId=&amp;tag=&amp;requesterId=&amp;field=&amp;sort=&amp;number=&amp;cursor=&amp;pageSize=</c> (Tickets
/// permission), within the caller's scope and inboxes; or <c>?savedViewId=</c>, a saved view's filters and sort instead of the others. Cursor
/// paging: the cursor names the last ticket's sort key and id, so a page never repeats or skips.
/// </summary>
internal sealed class ListTickets(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, TimeProvider time)
{
    public const int BreachingSoonHours = 2;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/tickets", async Task<Results<Ok<TicketPage>, ProblemHttpResult>> (HttpContext http, ListTickets handler, TicketSavedViews savedViews, CancellationToken ct,
                string? view = null, string? status = null, string? priority = null, Guid? assigneeId = null, string? tag = null,
                Guid? requesterId = null, string? sort = null, long? number = null, string? cursor = null, int pageSize = Paging.DefaultPageSize, string? field = null,
                Guid? teamId = null, Guid? savedViewId = null) =>
            {
                // Enum names in any case (the API writes them camelCase: breachingSoon, onHold); an unknown one names its parameter.
                if (!Parse<TicketView>(view, "view", out var v, out var bad) || !Parse<TicketStatus>(status, "status", out var st, out bad) ||
                    !Parse<TicketPriority>(priority, "priority", out var pr, out bad) || !Parse<TicketSort>(sort, "sort", out var so, out bad))
                {
                    return KefuProblems.Problem(bad!);
                }

                var query = new TicketQuery(v ?? TicketView.All, st, pr, assigneeId, tag, requesterId, so ?? TicketSort.Created, number, field, teamId);
                if (savedViewId is { } viewId)
                {
                    var (saved, notFound) = await savedViews.QueryAsync(AgentIdentity.From(http.User)!, viewId, ct);
                    if (notFound is not null)
                    {
                        return KefuProblems.Problem(notFound);
                    }

                    query = saved!;
                }

                return await handler.HandleAsync(AgentIdentity.From(http.User)!, query, cursor, pageSize, ct) is var (page, error) && error is null
                    ? TypedResults.Ok(page!) : KefuProblems.Problem(error!);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("ListTickets")
            .WithTags("Tickets");

    public async Task<(TicketPage?, KefuError?)> HandleAsync(AgentIdentity caller, TicketQuery query, string? cursor, int pageSize, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        if (Paging.Check(pageSize) is { } badSize)
        {
            return (null, badSize);
        }

        if (!Paging.TryReadCursor(cursor, out var after))
        {
            return (null, Paging.InvalidCursor);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = await gate.VisibleAsync(db.Set<Ticket>().AsNoTracking(), caller, ct);
        var q = Filter(visible.Where(t => t.MergedIntoId == null), query, caller.UserId, now);
        if (!string.IsNullOrWhiteSpace(query.Field))
        {
            var (definitionId, value, error) = await FieldFilterAsync(db, caller.TenantId, query.Field, ct);
            if (error is not null)
            {
                return (null, error);
            }

            q = WithField(db, q, definitionId, value!);
        }

        if (query.FieldId is { } savedField)
        {
            q = WithField(db, q, savedField, query.FieldValue ?? "");
        }

        var items = await Page(q, query.Sort, after).Take(pageSize + 1).ToListAsync(ct);
        var more = items.Count > pageSize;
        items = items.Take(pageSize).ToList();
        var next = more ? Paging.Cursor(Key(items[^1], query.Sort), items[^1].Id) : null;
        return (new TicketPage([.. items.Select(t => TicketRules.ToDto(t, now))], next), null);
    }

    // Ticket ids IN (the values of this field equal to this value): the (DefinitionId, Value) index finds the matching
    // tickets first, so a rare value among 10,000 tickets reads only its own rows instead of probing every ticket of the
    // page's order for a value (ADR 0037 has the measurement).
    internal static IQueryable<Ticket> WithField(KefuDbContext db, IQueryable<Ticket> q, Guid definitionId, string value) =>
        q.Where(t => db.Set<TicketFieldValue>().Where(f => f.DefinitionId == definitionId && f.Value == value).Select(f => f.TicketId).Contains(t.Id));

    /// <summary><c>key:value</c> as a definition and a stored value; an unknown key or a value of the wrong type is the 422 that names it.</summary>
    private static async Task<(Guid DefinitionId, string? Value, KefuError? Error)> FieldFilterAsync(KefuDbContext db, Guid tenantId, string filter, CancellationToken ct)
    {
        var colon = filter.IndexOf(':', StringComparison.Ordinal);
        var key = colon < 0 ? filter : filter[..colon];
        var definition = await db.Set<TicketFieldDefinition>().AsNoTracking().FirstOrDefaultAsync(d => d.TenantId == tenantId && d.Key == key, ct);
        if (definition is null)
        {
            return (Guid.Empty, null, TicketFieldRules.Unknown(key));
        }

        var value = colon < 0 ? null : Contacts.Contracts.TypedValues.NormalizeText(definition.Type, definition.OptionList, filter[(colon + 1)..]);
        return value is null ? (Guid.Empty, null, TicketFieldRules.WrongValue(definition)) : (definition.Id, value, null);
    }

    private static bool Parse<T>(string? text, string field, out T? value, out KefuError? error) where T : struct, Enum
    {
        value = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(text[0]))
        {
            value = parsed;
            return true;
        }

        var shown = SafeText.SingleLine(text);
        error = TicketErrors.Invalid(field, $"Unknown {field} '{shown[..Math.Min(shown.Length, 40)]}'.");
        return false;
    }

    private static IQueryable<Ticket> Filter(IQueryable<Ticket> q, TicketQuery query, Guid me, DateTime now)
    {
        var soon = now.AddHours(BreachingSoonHours);
        q = query.View switch
        {
            TicketView.Mine => q.Where(t => t.AssigneeId == me && t.Status != TicketStatus.Closed),
            TicketView.Unassigned => q.Where(t => t.AssigneeId == null && t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed),
            TicketView.BreachingSoon => q.Where(t => t.NextDueAt != null && t.NextDueAt <= soon),
            _ => q,
        };
        if (query.Status is { } status)
        {
            q = q.Where(t => t.Status == status);
        }

        if (query.Priority is { } priority)
        {
            q = q.Where(t => t.Priority == priority);
        }

        if (query.AssigneeId is { } assignee)
        {
            q = q.Where(t => t.AssigneeId == assignee);
        }

        if (query.TeamId is { } team)
        {
            q = q.Where(t => t.TeamId == team);
        }

        if (query.Unassigned)
        {
            q = q.Where(t => t.AssigneeId == null);
        }

        if (query.BreachingSoon)
        {
            q = q.Where(t => t.NextDueAt != null && t.NextDueAt <= soon);
        }

        if (query.Number is { } number)
        {
            q = q.Where(t => t.Number == number);
        }

        if (query.RequesterId is { } requester)
        {
            q = q.Where(t => t.RequesterId == requester);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            // Space-separated tags: padded so 'vip' does not match 'vip2'.
            var padded = " " + query.Tag.Trim().ToLowerInvariant() + " ";
            q = q.Where(t => (" " + t.Tags + " ").Contains(padded));
        }

        return q;
    }

    // Tickets without a due time sort after all others in the due order: the far future stands in for "none".
    private static readonly DateTime NoDue = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static IQueryable<Ticket> Page(IQueryable<Ticket> q, TicketSort sort, (DateTime At, Guid Id)? after)
    {
        switch (sort)
        {
            case TicketSort.Updated:
                if (after is { } u)
                {
                    q = q.Where(t => t.UpdatedAt < u.At || (t.UpdatedAt == u.At && t.Id.CompareTo(u.Id) < 0));
                }

                return q.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id);
            case TicketSort.Due:
                if (after is { } d)
                {
                    q = q.Where(t => (t.NextDueAt ?? NoDue) > d.At || ((t.NextDueAt ?? NoDue) == d.At && t.Id.CompareTo(d.Id) > 0));
                }

                return q.OrderBy(t => t.NextDueAt ?? NoDue).ThenBy(t => t.Id);
            default:
                if (after is { } c)
                {
                    q = q.Where(t => t.CreatedAt < c.At || (t.CreatedAt == c.At && t.Id.CompareTo(c.Id) < 0));
                }

                return q.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id);
        }
    }

    private static DateTime Key(Ticket t, TicketSort sort) => sort switch
    {
        TicketSort.Updated => t.UpdatedAt,
        TicketSort.Due => t.NextDueAt ?? NoDue,
        _ => t.CreatedAt,
    };
}
