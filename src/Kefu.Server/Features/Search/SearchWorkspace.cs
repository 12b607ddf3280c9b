using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// <c>GET /api/v1/search</c> (and <c>POST</c> with a JSON body): one search over messages, conversations and contacts of the caller's workspace, limited to
/// the conversations they may see (the conversation list's rule, <see cref="IConversationAccess.VisibleAsync"/>); the
/// console's search page calls the same handler.
/// </summary>
internal sealed class SearchWorkspace(IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess conversations, IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/search", async Task<Results<Ok<SearchPage>, ProblemHttpResult>> (
                HttpContext http, SearchWorkspace handler, CancellationToken ct, string? q = null, string? kind = null, DateTime? from = null,
                DateTime? to = null, Guid? inboxId = null, Guid? agentId = null, string? status = null, string? tag = null, int page = 1, int pageSize = 20) =>
            {
                var (result, error) = await handler.HandleAsync(
                    AgentIdentity.From(http.User)!, new SearchRequest(q, kind, from, to, inboxId, agentId, status, tag, page, pageSize), ct);
                return error is null ? TypedResults.Ok(result!) : KefuProblems.Problem(error);
            })
            .WithName("Search")
            .WithTags("Search");

        // The same search with the request as a JSON body: for long filter sets, and clients that keep queries out of URLs
        // (and logs). A URL longer than the server's request line is refused before any handler runs (414).
        api.MapPost("/search", async Task<Results<Ok<SearchPage>, ProblemHttpResult>> (
                SearchRequest request, HttpContext http, SearchWorkspace handler, CancellationToken ct) =>
            {
                var (result, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Ok(result!) : KefuProblems.Problem(error);
            })
            .WithName("SearchByBody")
            .WithTags("Search");
    }

    public async Task<(SearchPage? Page, KefuError? Error)> HandleAsync(AgentIdentity agent, SearchRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request, out var status) is { } invalid)
        {
            return (null, invalid);
        }

        var text = request.Q!.Trim();
        var kind = request.Kind?.ToLowerInvariant() ?? SearchKinds.Message;
        if (kind == SearchKinds.Contact)
        {
            return await access.AllowsAsync(agent, Permission.Contacts, cancellationToken)
                ? (await SearchContacts.RunAsync(dbFactory, agent.TenantId, text, request, cancellationToken), null)
                : (null, SearchErrors.ContactsForbidden);
        }

        var query = SearchQuery.Parse(text);
        if (kind == SearchKinds.Message && query is null)
        {
            return (null, SearchErrors.NoWords);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await conversations.VisibleAsync(db, agent, cancellationToken) is not { } visible)
        {
            return (new SearchPage([], request.Page, request.PageSize, false), null);
        }

        visible = Filter(db, visible, request, status);
        var hits = kind == SearchKinds.Message
            ? await SearchMessages.RunAsync(db, agent.TenantId, visible, query!, request, cancellationToken)
            : await SearchContacts.RunConversationsAsync(db, visible, text, request, cancellationToken);
        var more = hits.Count > request.PageSize;
        return (new SearchPage(more ? hits[..request.PageSize] : hits, request.Page, request.PageSize, more), null);
    }

    private static KefuError? Validate(SearchRequest request, out ConversationStatus? status)
    {
        status = null;
        if (string.IsNullOrWhiteSpace(request.Q))
        {
            return SearchErrors.Empty;
        }

        if (request.Q.Length > SearchQuery.MaxLength)
        {
            return SearchErrors.TooLong;
        }

        if (request.Kind is { } kind && !SearchKinds.All.Contains(kind.ToLowerInvariant()))
        {
            return SearchErrors.Kind;
        }

        if (request.Status is { } s)
        {
            if (!Enum.TryParse<ConversationStatus>(s, ignoreCase: true, out var parsed) || int.TryParse(s, out _))
            {
                return SearchErrors.Status;
            }

            status = parsed;
        }

        if (request.Tag is { } tag && ContactTags.TryNormalize([tag], out _) is null)
        {
            return SearchErrors.Tag;
        }

        if (request.From is { } from && request.To is { } to && from >= to)
        {
            return SearchErrors.Range;
        }

        return request.Page < 1 || request.PageSize is < 1 or > 50 ? SearchErrors.Paging : null;
    }

    private static IQueryable<Conversation> Filter(KefuDbContext db, IQueryable<Conversation> visible, SearchRequest request, ConversationStatus? status)
    {
        if (request.InboxId is { } inbox)
        {
            visible = visible.Where(c => c.InboxId == inbox);
        }

        if (request.AgentId is { } agent)
        {
            visible = visible.Where(c => c.AssigneeId == agent);
        }

        if (status is { } s)
        {
            visible = visible.Where(c => c.Status == s);
        }

        if (request.Tag?.Trim().ToLowerInvariant() is { Length: > 0 } tag)
        {
            var padded = " " + tag + " "; // tags are stored space separated
            visible = visible.Where(c => db.Contacts.Any(p => p.Id == c.ContactId && (" " + p.Tags.ToLower() + " ").Contains(padded)));
        }

        return visible;
    }
}

/// <summary>The kinds of results.</summary>
internal static class SearchKinds
{
    public const string Message = "message";
    public const string Conversation = "conversation";
    public const string Contact = "contact";

    /// <summary>A private note: returned by a <c>message</c> search (agents only), never asked for on its own.</summary>
    public const string Note = "note";
    public static readonly string[] All = [Message, Conversation, Contact];
}
