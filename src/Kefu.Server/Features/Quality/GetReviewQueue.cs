using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// <c>GET /api/v1/quality/review-queue?limit=20&amp;sample=10&amp;agentId=</c>: for supervisors, the lowest scores of the
/// workspace first (no coaching note yet), and a random sample of the others (from a random point of a random key fixed when each score was made: an
/// indexed read, not a shuffle of every row). <c>GET /api/v1/quality/my-scores</c>: the
/// caller's own latest scores.
/// </summary>
internal sealed class GetReviewQueue(IDbContextFactory<KefuDbContext> dbFactory, QualityScores scores)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/quality/review-queue", async Task<Ok<ReviewQueueDto>> (
                HttpContext http, GetReviewQueue handler, CancellationToken ct, int? limit = null, int? sample = null, Guid? agentId = null) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!, Math.Clamp(limit ?? 20, 1, 200), Math.Clamp(sample ?? 10, 0, 200), agentId, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Supervise))
            .WithName("GetQualityReviewQueue")
            .WithTags("Quality");
        api.MapGet("/quality/my-scores", async Task<Ok<IReadOnlyList<QualityScoreDto>>> (HttpContext http, GetReviewQueue handler, CancellationToken ct, int? limit = null) =>
                TypedResults.Ok(await handler.MineAsync(AgentIdentity.From(http.User)!, Math.Clamp(limit ?? 50, 1, 200), ct)))
            .WithName("ListMyQualityScores")
            .WithTags("Quality");
    }

    public async Task<ReviewQueueDto> HandleAsync(AgentIdentity agent, int limit, int sample, Guid? agentId, CancellationToken cancellationToken)
    {
        var reach = await scores.ReachAsync(agent, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = QualityScores.Visible(db, agent, reach).AsNoTracking().Where(s => s.Score != null && (agentId == null || s.AgentId == agentId));
        var lowest = await visible.Where(s => s.CoachingNote == null).OrderBy(s => s.Score).ThenBy(s => s.ScoredAt).Take(limit).ToListAsync(cancellationToken);
        var taken = lowest.Select(s => s.Id).ToList();
        var pivot = Random.Shared.Next();
        var random = await visible.Where(s => s.SampleKey >= pivot && !EF.Parameter(taken).Contains(s.Id)).OrderBy(s => s.SampleKey).Take(sample).ToListAsync(cancellationToken);
        if (random.Count < sample)
        {
            taken.AddRange(random.Select(s => s.Id));
            random.AddRange(await visible.Where(s => !EF.Parameter(taken).Contains(s.Id)).OrderBy(s => s.SampleKey).Take(sample - random.Count).ToListAsync(cancellationToken));
        }

        return new(await QualityScores.ToDtosAsync(db, lowest, cancellationToken), await QualityScores.ToDtosAsync(db, random, cancellationToken));
    }

    public async Task<IReadOnlyList<QualityScoreDto>> MineAsync(AgentIdentity agent, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await QualityScores.Visible(db, agent, ScoreReach.Own).AsNoTracking().OrderByDescending(s => s.ScoredAt).Take(limit).ToListAsync(cancellationToken);
        return await QualityScores.ToDtosAsync(db, rows, cancellationToken);
    }
}
