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
                HttpContext http, ListConversations handler, CancellationToken ct, string? status = null, string? view = null, int limit = 100) =>
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

                var (list, error) = await handler.ForAgentAsync(AgentIdentity.From(http.User)!, filter, chosen, limit, ct);
                return error is null ? TypedResults.Ok(list!) : KefuProblems.Problem(error);
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
        var workspace = await accessControl.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        if (workspace.For(agent) is not { } access)
        {
            return ([], null);
        }

        if (view is { } v && !access.Allows(v))
        {
            return (null, ViewNotAllowed);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking().Where(c => c.TenantId == agent.TenantId).Scoped(access, workspace);
        query = view is { } chosen ? query.InView(chosen, access, workspace) : query;
        return (await ReadAsync(db, query.WithStatus(filter), limit, cancellationToken), null);
    }

    public async Task<IReadOnlyList<ConversationDto>> HandleAsync(Guid tenantId, ConversationFilter filter, int limit, Guid? contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking().Where(c => c.TenantId == tenantId).WithStatus(filter);
        if (contactId is { } contact)
        {
            query = query.Where(c => c.ContactId == contact);
        }

        return await ReadAsync(db, query, limit, cancellationToken);
    }

    private static async Task<IReadOnlyList<ConversationDto>> ReadAsync(KefuDbContext db, IQueryable<Conversation> query, int limit, CancellationToken cancellationToken)
    {
        var rows = await (
                from c in query
                join p in db.Contacts on c.ContactId equals p.Id
                orderby c.LastMessageAt descending
                select new { Conversation = c, ContactName = p.Name })
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => ConversationMapper.ToDto(r.Conversation, r.ContactName));
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
