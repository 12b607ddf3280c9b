using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Conversations and contacts found by who the contact is: part of the name or e-mail (as stored, masked or not), or
/// an exact contact or conversation id. Contacts are far fewer than messages, so a case-insensitive substring scan is
/// enough and finds Chinese names by any part (张三丰 by 三丰) without an index.
/// </summary>
internal static class SearchContacts
{
    public static async Task<List<SearchHit>> RunConversationsAsync(
        KefuDbContext db, IQueryable<Conversation> visible, string text, SearchRequest request, CancellationToken cancellationToken)
    {
        var term = text.ToLowerInvariant();
        var id = Guid.TryParse(text, out var parsed) ? parsed : Guid.Empty;
        if (request.From is { } from)
        {
            var since = from.ToUniversalTime();
            visible = visible.Where(c => c.LastMessageAt >= since);
        }

        if (request.To is { } to)
        {
            var before = to.ToUniversalTime();
            visible = visible.Where(c => c.CreatedAt < before);
        }

        var rows = await (
                from c in visible
                join p in db.Contacts on c.ContactId equals p.Id
                where p.Name.ToLower().Contains(term) || (p.Email ?? "").ToLower().Contains(term) || c.Id == id || p.Id == id
                orderby c.LastMessageAt descending
                select new { c.Id, c.ContactId, p.Name, p.Email, c.InboxId, c.Status, c.LastMessageAt })
            .Skip((request.Page - 1) * request.PageSize)
            .Take(request.PageSize + 1)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new SearchHit(
            SearchKinds.Conversation, r.Id, null, null, r.ContactId, r.Name, r.InboxId, r.Status.ToString(), null, r.LastMessageAt,
            Snippet(r.Name, r.Email, term)));
    }

    public static async Task<SearchPage> RunAsync(
        IDbContextFactory<KefuDbContext> dbFactory, Guid tenantId, string text, SearchRequest request, CancellationToken cancellationToken)
    {
        var term = text.ToLowerInvariant();
        var id = Guid.TryParse(text, out var parsed) ? parsed : Guid.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contacts = db.Contacts.AsNoTracking().Where(p => p.TenantId == tenantId &&
            (p.Name.ToLower().Contains(term) || (p.Email ?? "").ToLower().Contains(term) || (p.Phone ?? "").Contains(term) || p.Id == id));
        if (request.Tag?.Trim().ToLowerInvariant() is { Length: > 0 } tag)
        {
            var padded = " " + tag + " ";
            contacts = contacts.Where(p => (" " + p.Tags.ToLower() + " ").Contains(padded));
        }

        var rows = await contacts.OrderByDescending(p => p.LastSeenAt)
            .Select(p => new { p.Id, p.Name, p.Email, p.LastSeenAt })
            .Skip((request.Page - 1) * request.PageSize)
            .Take(request.PageSize + 1)
            .ToListAsync(cancellationToken);
        var hits = rows.ConvertAll(r => new SearchHit(
            SearchKinds.Contact, null, null, null, r.Id, r.Name, null, null, null, r.LastSeenAt, Snippet(r.Name, r.Email, term)));
        var more = hits.Count > request.PageSize;
        return new SearchPage(more ? hits[..request.PageSize] : hits, request.Page, request.PageSize, more);
    }

    /// <summary>The name, or the e-mail when only it matched, with the match marked.</summary>
    private static IReadOnlyList<SnippetSpan> Snippet(string name, string? email, string term)
    {
        var text = name.Contains(term, StringComparison.OrdinalIgnoreCase) || email is null ? name : email;
        var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase);
        return at < 0
            ? [new SnippetSpan(text, false)]
            : [.. new[] { new SnippetSpan(text[..at], false), new SnippetSpan(text.Substring(at, term.Length), true), new SnippetSpan(text[(at + term.Length)..], false) }
                .Where(s => s.Text.Length > 0)];
    }
}
