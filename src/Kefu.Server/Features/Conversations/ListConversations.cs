using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>The workspace's conversations, newest activity first.</summary>
internal sealed class ListConversations(IDbContextFactory<KefuDbContext> dbFactory) : IConversationReader
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

                return TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, filter, limit, null, ct));
            })
            .WithName("ListConversations")
            .WithTags("Conversations");

    public async Task<IReadOnlyList<ConversationDto>> HandleAsync(Guid tenantId, ConversationFilter filter, int limit, Guid? contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Conversations.AsNoTracking().Where(c => c.TenantId == tenantId);
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
