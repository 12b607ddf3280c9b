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
public sealed record ContactPage(IReadOnlyList<ContactSummary> Items, int Total);

/// <summary>How a contact list is asked for.</summary>
/// <param name="Search">Part of a name, e-mail, phone (as stored) or tag; case-insensitive.</param>
/// <param name="Skip">Contacts to skip (0 or more).</param>
/// <param name="Limit">Page size, 1–100.</param>
/// <param name="Sort"><c>lastSeen</c> (default), <c>name</c> or <c>created</c>; a leading <c>-</c> for descending. Default <c>-lastSeen</c>.</param>
/// <param name="Tag">Only contacts with this tag (whole tag, case-insensitive).</param>
public sealed record ContactQuery(string? Search = null, int Skip = 0, int Limit = 25, string? Sort = null, string? Tag = null);

/// <summary><c>GET /api/v1/contacts</c>: the workspace's contacts, searched and paged, for the console's list and integrators.</summary>
internal sealed class ListContacts(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/contacts", async Task<Results<Ok<ContactPage>, ProblemHttpResult>> (
                string? search, int? skip, int? limit, string? sort, string? tag, HttpContext http, ListContacts handler, CancellationToken ct) =>
            {
                var (page, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, new ContactQuery(search, skip ?? 0, limit ?? 25, sort, tag), ct);
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
                                           (c.Phone ?? "").Contains(term) || c.Tags.ToLower().Contains(term));
        }

        if (Order(contacts, query.Sort) is not { } ordered)
        {
            return (null, new KefuError("invalid_contact_query", "sort must be name, lastSeen or created, with an optional leading '-'.") with { Field = "sort" });
        }

        var total = await contacts.CountAsync(cancellationToken);
        var rows = await ordered.Skip(query.Skip).Take(query.Limit).ToListAsync(cancellationToken);
        return (new ContactPage(rows.ConvertAll(ToSummary), total), null);
    }

    internal static ContactSummary ToSummary(Contact c) => new(c.Id, c.Name, c.Email, c.Phone, ContactTags.Split(c.Tags), c.CreatedAt, c.LastSeenAt);

    private static IQueryable<Contact>? Order(IQueryable<Contact> contacts, string? sort) => (sort ?? "-lastSeen") switch
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
