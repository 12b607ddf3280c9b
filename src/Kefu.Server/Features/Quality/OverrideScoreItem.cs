using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// <c>PUT /api/v1/quality/scores/{id}/items/{index}/override</c>: a supervisor replaces an item's outcome with a comment
/// (or removes the override with a null outcome); the score is recomputed, the automatic one stays. Audited.
/// </summary>
internal sealed class OverrideScoreItem(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    private static readonly string[] Outcomes = [ItemOutcomes.Pass, ItemOutcomes.Fail, ItemOutcomes.NotApplicable];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/quality/scores/{id:guid}/items/{index:int}/override", async Task<Results<Ok<QualityScoreDto>, ProblemHttpResult>> (
                Guid id, int index, OverrideItemRequest request, HttpContext http, OverrideScoreItem handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, index, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Supervise))
            .WithName("OverrideQualityItem")
            .WithTags("Quality");

    public async Task<(QualityScoreDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid scoreId, int index, OverrideItemRequest? request, CancellationToken cancellationToken)
    {
        var reach = await QualityScores.ReachAsync(access, agent, cancellationToken);
        if (!reach.Supervises)
        {
            return (null, QualityErrors.Forbidden);
        }

        if (request is null)
        {
            return (null, KefuError.InvalidRequest);
        }

        if (request.Outcome is { } outcome && !Outcomes.Contains(outcome))
        {
            return (null, QualityErrors.InvalidOverride("outcome", "outcome must be pass, fail, not_applicable or null."));
        }

        var comment = request.Comment?.Trim();
        if (request.Outcome is not null && (string.IsNullOrEmpty(comment) || comment.Length > QualityLimits.MaxCommentLength))
        {
            return (null, QualityErrors.InvalidOverride("comment", "comment must be 1–1000 characters."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var score = await QualityScores.Visible(db, agent, reach).FirstOrDefaultAsync(s => s.Id == scoreId, cancellationToken); // out of their inboxes: not found
        if (score is null)
        {
            return (null, QualityErrors.ScoreNotFound);
        }

        var items = QualityJson.Results(score.Items);
        var at = items.FindIndex(i => i.Index == index);
        if (at < 0)
        {
            return (null, QualityErrors.InvalidOverride("index", "index must be an item of this score."));
        }

        items[at] = request.Outcome is null
            ? items[at] with { Override = null, OverrideComment = null, OverriddenBy = null, OverriddenAt = null }
            : items[at] with { Override = request.Outcome, OverrideComment = comment, OverriddenBy = agent.UserId, OverriddenAt = time.GetUtcNow().UtcDateTime };
        (score.Items, score.Score) = (QualityJson.Results(items), ScoringEngine.Total(items, true));
        audit.Add(db, new AuditRecord("quality.overridden", "quality_score", score.Id.ToString(),
            JsonSerializer.Serialize(new { index, outcome = request.Outcome, score = score.Score })).By(agent));
        await db.SaveChangesAsync(cancellationToken);
        return (await QualityScores.ToDtosAsync(db, [score], cancellationToken) is [var dto] ? dto : null, null);
    }
}
