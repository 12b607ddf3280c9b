using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// <c>GET /api/v1/conversations/{id}/quality</c>: the conversation's scores, newest first, each item with the message that
/// decided it. A supervisor gets them for any conversation of the workspace (an empty list before it is scored); anyone
/// else only for a conversation they were scored for. Otherwise 404, as for another workspace's conversation.
/// </summary>
internal sealed class GetConversationScores(IDbContextFactory<KefuDbContext> dbFactory, QualityScores scores)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/quality", async Task<Results<Ok<IReadOnlyList<QualityScoreDto>>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetConversationScores handler, CancellationToken ct) =>
            {
                var found = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return found is null ? KefuProblems.Problem(QualityErrors.ConversationNotFound) : TypedResults.Ok(found);
            })
            .WithName("GetConversationQuality")
            .WithTags("Quality");

    public async Task<IReadOnlyList<QualityScoreDto>?> HandleAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        var reach = await scores.ReachAsync(agent, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await QualityScores.Visible(db, agent, reach).AsNoTracking().Where(s => s.ConversationId == conversationId)
            .OrderByDescending(s => s.ScoredAt).ToListAsync(cancellationToken);
        var inbox = rows.Count > 0 ? null : await db.Conversations.Where(c => c.Id == conversationId && c.TenantId == agent.TenantId)
            .Select(c => (Guid?)c.InboxId).FirstOrDefaultAsync(cancellationToken);
        if (rows.Count == 0 && !(inbox is { } i && reach.MayUseInbox(i)))
        {
            return null;
        }

        return await QualityScores.ToDtosAsync(db, rows, cancellationToken);
    }
}
