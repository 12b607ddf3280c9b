using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>The conversations an agent may see (their scope and inboxes), newest activity first.</summary>
internal sealed class ListConversations(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl accessControl) : IConversationReader
{
    /// <summary>The role does not allow the view asked for.</summary>
    public static readonly KefuError ViewNotAllowed = new("forbidden", "Your role does not allow this view.");

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations", async Task<Results<Ok<IReadOnlyList<ConversationDto>>, ValidationProblem, ProblemHttpResult>> (
                HttpContext http, ListConversations handler, CancellationToken ct, string? status = null, string? view = null, int limit = 100, string? cursor = null) =>
            {
                var filter = ConversationFilter.Open;
                if (status is not null && !Enum.TryParse(status, ignoreCase: true, out filter))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be open, snoozed, pending, resolved or all."] });
                }

                AssigneeView? chosen = null;
                if (view is not null)
                {
                    if (!Enum.TryParse<AssigneeView>(view, ignoreCase: true, out var parsed) || int.TryParse(view, out _))
                    {
                        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["view"] = ["view must be mine, unassigned, team or all."] });
                    }

                    chosen = parsed;
                }

                if (limit is < 1 or > 500)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 500."] });
                }

                if (!Paging.TryReadCursor(cursor, out var after))
                {
                    return KefuProblems.Problem(Paging.InvalidCursor);
                }

                var (page, error) = await handler.PageForAgentAsync(AgentIdentity.From(http.User)!, filter, chosen, limit, after, ct);
                if (error is not null)
                {
                    return KefuProblems.Problem(error);
                }

                if (page!.Next is { } next)
                {
                    // The body stays an array (as every array list's, ADR 0031): the next page is named in a header and a Link.
                    http.Response.Headers[ListPaging.NextCursorHeader] = next;
                    var others = http.Request.Query.Where(q => q.Key is not ("cursor" or "limit" or "pageSize"))
                        .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}");
                    var link = $"{http.Request.PathBase}{http.Request.Path}?{string.Join('&', others.Append($"limit={limit}").Append($"cursor={next}"))}";
                    http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
                }

                return TypedResults.Ok(page.Items);
            })
            .WithName("ListConversations")
            .WithTags("Conversations");

    /// <summary>What <paramref name="agent"/> may see: nothing outside their inboxes and conversation scope.</summary>
    public async Task<IReadOnlyList<ConversationDto>> ForAgentAsync(AgentIdentity agent, ConversationFilter filter, int limit, CancellationToken cancellationToken) =>
        (await ForAgentAsync(agent, filter, null, limit, cancellationToken)).Item1 ?? [];

    /// <summary>
    /// One view of what <paramref name="agent"/> may see (null: everything in their scope); <c>forbidden</c> for a view
    /// their role does not allow, such as All without <see cref="Permission.ConversationsAll"/>.
    /// </summary>
    public async Task<(IReadOnlyList<ConversationDto>?, KefuError?)> ForAgentAsync(
        AgentIdentity agent, ConversationFilter filter, AssigneeView? view, int limit, CancellationToken cancellationToken)
    {
        var (page, error) = await PageForAgentAsync(agent, filter, view, limit, null, cancellationToken);
        return (page?.Items, error);
    }

    /// <summary>
    /// One page of <see cref="ForAgentAsync(AgentIdentity, ConversationFilter, AssigneeView?, int, CancellationToken)"/>,
    /// newest activity first, after <paramref name="after"/> (the last conversation's activity time and id, from
    /// <see cref="Paging.Cursor"/>). A conversation whose activity moves while a client pages moves to the top: it is seen
    /// on the next first page, not twice in one walk.
    /// </summary>
    public async Task<(ConversationPage?, KefuError?)> PageForAgentAsync(
        AgentIdentity agent, ConversationFilter filter, AssigneeView? view, int limit, (DateTime At, Guid Id)? after, CancellationToken cancellationToken)
    {
        var workspace = await accessControl.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        if (workspace.For(agent) is not { } access)
        {
            return (new ConversationPage([], null), null);
        }

        if (view is { } v && !access.Allows(v))
        {
            return (null, ViewNotAllowed);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking().Where(c => c.TenantId == agent.TenantId).Scoped(access, workspace);
        query = view is { } chosen ? query.InView(chosen, access, workspace) : query;
        query = query.WithStatus(filter);
        if (after is var (at, id))
        {
            query = query.Where(c => c.LastMessageAt < at || (c.LastMessageAt == at && c.Id.CompareTo(id) > 0));
        }

        return (await ReadPageAsync(db, query, limit, cancellationToken), null);
    }

    public async Task<IReadOnlyList<ConversationDto>> HandleAsync(Guid tenantId, ConversationFilter filter, int limit, Guid? contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking().Where(c => c.TenantId == tenantId).WithStatus(filter);
        if (contactId is { } contact)
        {
            query = query.Where(c => c.ContactId == contact);
        }

        return (await ReadPageAsync(db, query, limit, cancellationToken)).Items;
    }

    private static async Task<ConversationPage> ReadPageAsync(KefuDbContext db, IQueryable<Conversation> query, int limit, CancellationToken cancellationToken)
    {
        // The id breaks ties of one activity time, so the cursor's position is exact.
        var rows = await (
                from c in query
                join p in db.Contacts on c.ContactId equals p.Id
                orderby c.LastMessageAt descending, c.Id
                select new { Conversation = c, ContactName = p.Name })
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = Paging.Cursor(rows[^1].Conversation.LastMessageAt, rows[^1].Conversation.Id);
        }

        return new ConversationPage(rows.ConvertAll(r => ConversationMapper.ToDto(r.Conversation, r.ContactName)), next);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationDto>> ListAsync(Guid tenantId, ConversationFilter filter, int limit, Guid? contactId, CancellationToken cancellationToken) =>
        HandleAsync(tenantId, filter, limit, contactId, cancellationToken);

    /// <inheritdoc />
    public async Task<ConversationDto?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (
                from c in db.Conversations.AsNoTracking()
                where c.Id == id && c.TenantId == tenantId
                join p in db.Contacts on c.ContactId equals p.Id
                select new { Conversation = c, ContactName = p.Name })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ConversationMapper.ToDto(row.Conversation, row.ContactName);
    }
}

/// <summary>One page of conversations and the cursor of the next (null on the last page).</summary>
internal sealed record ConversationPage(IReadOnlyList<ConversationDto> Items, string? Next);
