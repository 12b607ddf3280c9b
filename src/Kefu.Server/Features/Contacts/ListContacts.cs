using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>One page of contacts and how many match.</summary>
/// <param name="Items">The page.</param>
/// <param name="Total">Contacts matching the search.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> (with the same filters and sort) for the next page; null on the last page.</param>
public sealed record ContactPage(IReadOnlyList<ContactSummary> Items, int Total, string? NextCursor = null);

/// <summary>How a contact list is asked for.</summary>
/// <param name="Search">Part of a name, e-mail, phone (as stored) or tag; case-insensitive.</param>
/// <param name="Skip">Contacts to skip (0 or more).</param>
/// <param name="Limit">Page size, 1–100.</param>
/// <param name="Sort"><c>lastSeen</c> (default), <c>name</c> or <c>created</c>; a leading <c>-</c> for descending. Default <c>-lastSeen</c>.</param>
/// <param name="Tag">Only contacts with this tag (whole tag, case-insensitive).</param>
/// <param name="Attribute">Only contacts whose custom attribute has this value: <c>key:value</c> (<c>plan:gold</c>), the value as the attribute's type reads it.</param>
/// <param name="Cursor">The previous page's <see cref="ContactPage.NextCursor"/>; with it, <paramref name="Skip"/> must be 0. Preferred over skip.</param>
public sealed record ContactQuery(string? Search = null, int Skip = 0, int Limit = 25, string? Sort = null, string? Tag = null, string? Attribute = null, string? Cursor = null);

/// <summary>
/// <c>GET /api/v1/contacts</c>: the workspace's contacts, searched (name, e-mail, phone, company, tags), filtered by tag
/// and by a custom attribute, and paged by cursor (<c>nextCursor</c>); <c>skip</c> still works for old callers.
/// </summary>
internal sealed class ListContacts(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/contacts", async Task<Results<Ok<ContactPage>, ProblemHttpResult>> (
                string? search, int? skip, int? limit, string? sort, string? tag, string? attribute, string? cursor, HttpContext http, ListContacts handler, CancellationToken ct) =>
            {
                var (page, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, new ContactQuery(search, skip ?? 0, limit ?? 25, sort, tag, attribute, cursor), ct);
                return error is null ? TypedResults.Ok(page!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("ListContacts")
            .WithTags("Contacts");

    public async Task<(ContactPage? Page, KefuError? Error)> HandleAsync(AgentIdentity caller, ContactQuery query, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        if (query.Skip < 0 || query.Limit is < 1 or > 100)
        {
            return (null, new KefuError("invalid_contact_query", "skip must be 0 or more and limit 1 to 100.") with { Field = query.Skip < 0 ? "skip" : "limit" });
        }

        if (query.Search is { Length: > 100 })
        {
            return (null, new KefuError("invalid_contact_query", "search may be 100 characters.") with { Field = "search" });
        }

        if (query.Tag is { } rawTag && ContactTags.TryNormalize([rawTag], out _) is not [_])
        {
            return (null, new KefuError("invalid_contact_query", "tag is not a tag.") with { Field = "tag" });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A merged contact is only a pointer to its survivor: never listed.
        var contacts = db.Contacts.AsNoTracking().Where(c => c.TenantId == caller.TenantId && c.MergedIntoId == null);
        if (query.Tag?.Trim().ToLowerInvariant() is { Length: > 0 } tag)
        {
            // Whole tags: the stored form is space separated, so " vip " never matches "vip2".
            var padded = " " + tag + " ";
            contacts = contacts.Where(c => (" " + c.Tags.ToLower() + " ").Contains(padded));
        }

        if (query.Search?.Trim().ToLowerInvariant() is { Length: > 0 } term)
        {
            // lower() on both sides: SQLite's instr and PostgreSQL's strpos are case-sensitive, and ILIKE is PostgreSQL's alone.
            contacts = contacts.Where(c => c.Name.ToLower().Contains(term) || (c.Email ?? "").ToLower().Contains(term) ||
                                           (c.Phone ?? "").Contains(term) || c.Tags.ToLower().Contains(term) || (c.Company ?? "").ToLower().Contains(term));
        }

        if (query.Attribute is { } attribute)
        {
            var (filtered, attributeError) = await FilterByAttributeAsync(db, contacts, caller.TenantId, attribute, cancellationToken);
            if (filtered is null)
            {
                return (null, attributeError);
            }

            contacts = filtered;
        }

        var sort = query.Sort ?? "-lastSeen";
        if (Order(contacts, sort) is not { } ordered)
        {
            return (null, new KefuError("invalid_contact_query", "sort must be name, lastSeen or created, with an optional leading '-'.") with { Field = "sort" });
        }

        var total = await contacts.CountAsync(cancellationToken);
        IQueryable<Contact> page = ordered;
        if (query.Cursor is { } text)
        {
            if (ContactCursor.Decode(text) is not { } cursor || cursor.Sort != sort || query.Skip != 0 || cursor.Apply(ordered) is not { } after)
            {
                return (null, new KefuError("invalid_contact_query", "cursor is not a cursor of this sort (and skip must be 0 with it).") with { Field = "cursor" });
            }

            page = after;
        }

        var rows = await page.Skip(query.Skip).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var next = rows.Count > query.Limit ? ContactCursor.After(sort, rows[query.Limit - 1]).Encode() : null;
        return (new ContactPage(rows.Take(query.Limit).Select(ToSummary).ToList(), total, next), null);
    }

    /// <summary><c>key:value</c>: contacts holding that value, compared in the attribute's stored form (text case-insensitively).</summary>
    private static async Task<(IQueryable<Contact>? Contacts, KefuError? Error)> FilterByAttributeAsync(
        KefuDbContext db, IQueryable<Contact> contacts, Guid tenantId, string attribute, CancellationToken cancellationToken)
    {
        var at = attribute.IndexOf(':', StringComparison.Ordinal);
        var key = at > 0 ? attribute[..at].Trim() : attribute.Trim();
        var definition = at > 0 && key.Length <= ContactAttributeRules.MaxKeyLength
            ? await db.Set<ContactAttributeDefinition>().AsNoTracking().FirstOrDefaultAsync(d => d.TenantId == tenantId && d.Key == key, cancellationToken)
            : null;
        if (definition is null || ContactAttributeRules.NormalizeText(definition, attribute[(at + 1)..]) is not { } value)
        {
            return (null, new KefuError("invalid_contact_query", "attribute must be key:value, with a defined attribute's key and a value of its type.") with { Field = "attribute" });
        }

        var values = db.Set<ContactAttributeValue>().Where(v => v.DefinitionId == definition.Id);
        if (definition.Type == ContactAttributeType.Text)
        {
            var lower = value.ToLowerInvariant();
            return (contacts.Where(c => values.Any(v => v.ContactId == c.Id && v.Value.ToLower() == lower)), null);
        }

        return (contacts.Where(c => values.Any(v => v.ContactId == c.Id && v.Value == value)), null);
    }

    internal static ContactSummary ToSummary(Contact c) => new(c.Id, c.Name, c.Email, c.Phone, ContactTags.Split(c.Tags), c.CreatedAt, c.LastSeenAt, c.Company, c.Language, c.Location);

    private static IOrderedQueryable<Contact>? Order(IQueryable<Contact> contacts, string sort) => sort switch
    {
        "name" => contacts.OrderBy(c => c.Name).ThenBy(c => c.Id),
        "-name" => contacts.OrderByDescending(c => c.Name).ThenBy(c => c.Id),
        "lastSeen" => contacts.OrderBy(c => c.LastSeenAt).ThenBy(c => c.Id),
        "-lastSeen" => contacts.OrderByDescending(c => c.LastSeenAt).ThenBy(c => c.Id),
        "created" => contacts.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        "-created" => contacts.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id),
        _ => null,
    };
}
