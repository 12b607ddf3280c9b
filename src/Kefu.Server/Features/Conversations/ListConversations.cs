using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>The conversations an agent may see (their scope and inboxes), newest activity first.</summary>
internal sealed class ListConversations(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl accessControl) : IConversationReader
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations", async Task<Results<Ok<IReadOnlyList<ConversationDto>>, ValidationProblem>> (
                HttpContext http, ListConversations handler, CancellationToken ct, string? status = null, int limit = 100) =>
            {
                var filter = ConversationFilter.Open;
                if (status is not null && !Enum.TryParse(status, ignoreCase: true, out filter))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be open, resolved or all."] });
                }

                if (limit is < 1 or > 500)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 500."] });
                }

                return TypedResults.Ok(await handler.ForAgentAsync(AgentIdentity.From(http.User)!, filter, limit, ct));
            })
            .WithName("ListConversations")
            .WithTags("Conversations");

    /// <summary>What <paramref name="agent"/> may see: nothing outside their inboxes and conversation scope.</summary>
    public async Task<IReadOnlyList<ConversationDto>> ForAgentAsync(AgentIdentity agent, ConversationFilter filter, int limit, CancellationToken cancellationToken)
    {
        var workspace = await accessControl.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        return workspace.For(agent.UserId) is { } access
            ? await QueryAsync(agent.TenantId, filter, limit, null, access, workspace, cancellationToken)
            : [];
    }

    public Task<IReadOnlyList<ConversationDto>> HandleAsync(Guid tenantId, ConversationFilter filter, int limit, Guid? contactId, CancellationToken cancellationToken) =>
        QueryAsync(tenantId, filter, limit, contactId, null, null, cancellationToken);

    private async Task<IReadOnlyList<ConversationDto>> QueryAsync(
        Guid tenantId, ConversationFilter filter, int limit, Guid? contactId, AgentAccess? access, WorkspaceAccess? workspace, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking().Where(c => c.TenantId == tenantId);
        if (access is not null && !access.SeesEverything)
        {
            query = Scoped(query, access, workspace!);
        }

        query = filter switch
        {
            ConversationFilter.Open => query.Where(c => c.Status != ConversationStatus.Resolved),
            ConversationFilter.Resolved => query.Where(c => c.Status == ConversationStatus.Resolved),
            _ => query,
        };
        if (contactId is { } contact)
        {
            query = query.Where(c => c.ContactId == contact);
        }

        var rows = await (
                from c in query
                join p in db.Contacts on c.ContactId equals p.Id
                orderby c.LastMessageAt descending
                select new { Conversation = c, ContactName = p.Name })
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => ConversationMapper.ToDto(r.Conversation, r.ContactName));
    }

    /// <summary>The SQL form of <see cref="AgentAccess.CanSee"/>.</summary>
    private static IQueryable<Conversation> Scoped(IQueryable<Conversation> query, AgentAccess access, WorkspaceAccess workspace)
    {
        if (access.Inboxes is { } inboxes)
        {
            var allowed = inboxes.ToList();
            query = query.Where(c => allowed.Contains(c.InboxId));
        }

        var me = access.UserId;
        switch (access.Scope)
        {
            case ConversationScope.All:
                return query;
            case ConversationScope.Team:
                var teammates = workspace.Agents.Where(a => a.Teams.Overlaps(access.Teams)).Select(a => (Guid?)a.UserId).Append(me).ToList();
                return query.Where(c => c.AssigneeId == null || teammates.Contains(c.AssigneeId));
            case ConversationScope.Assigned:
                return query.Where(c => c.AssigneeId == me);
            default:
                return query.Where(c => false);
        }
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
