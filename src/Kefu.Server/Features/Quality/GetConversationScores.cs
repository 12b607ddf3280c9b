using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// <c>GET /api/v1/conversations/{id}/quality</c>: the conversation's scores, newest version first, each item with the
/// message that decided it. Empty when it has none the caller may see (another workspace's conversation included).
/// </summary>
internal sealed class GetConversationScores(IDbContextFactory<KefuDbContext> dbFactory, QualityScores scores)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/quality", async Task<Ok<IReadOnlyList<QualityScoreDto>>> (
                Guid id, HttpContext http, GetConversationScores handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct)))
            .WithName("GetConversationQuality")
            .WithTags("Quality");

    public async Task<IReadOnlyList<QualityScoreDto>> HandleAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        var supervises = await scores.SupervisesAsync(agent, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await QualityScores.Visible(db, agent, supervises).AsNoTracking().Where(s => s.ConversationId == conversationId)
            .OrderByDescending(s => s.ScoredAt).ToListAsync(cancellationToken);
        return await QualityScores.ToDtosAsync(db, rows, cancellationToken);
    }
}
