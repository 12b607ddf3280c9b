using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>One step in a conversation's timeline.</summary>
/// <param name="Type"><c>resource.action</c>: <c>conversation.queued</c>, <c>conversation.assigned</c> …</param>
/// <param name="ActorType"><c>visitor</c>, <c>agent</c>, <c>bot</c> or <c>system</c>.</param>
/// <param name="ActorId">Who, when a person.</param>
/// <param name="Data">The event's details as JSON (agent, reason, team, note …), or null.</param>
/// <param name="CreatedAt">When, UTC.</param>
public sealed record TimelineEvent(string Type, string ActorType, Guid? ActorId, string? Data, DateTime CreatedAt);

/// <summary>
/// <c>GET /api/v1/conversations/{id}/timeline</c>: every state change of a conversation with who and why, oldest
/// first — routing steps included (queued, offered, expired, assigned, transferred).
/// </summary>
internal sealed class GetTimeline(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/timeline", async Task<Results<Ok<IReadOnlyList<TimelineEvent>>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetTimeline handler, IConversationAccess access, CancellationToken ct) =>
            await access.CheckReadAsync(AgentIdentity.From(http.User)!, id, ct) is null &&
            await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) is { } list
                ? TypedResults.Ok(list)
                : KefuProblems.Problem(ConversationErrors.ConversationNotFound))
            .WithName("GetConversationTimeline")
            .WithTags("Conversations");

    public async Task<IReadOnlyList<TimelineEvent>?> HandleAsync(Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Conversations.AnyAsync(c => c.Id == conversationId && c.TenantId == tenantId, cancellationToken))
        {
            return null;
        }

        return await db.ConversationEvents.AsNoTracking().Where(e => e.ConversationId == conversationId).OrderBy(e => e.Id).Take(500)
            .Select(e => new TimelineEvent(e.Type, e.ActorType, e.ActorId, e.Data, e.CreatedAt)).ToListAsync(cancellationToken);
    }
}
