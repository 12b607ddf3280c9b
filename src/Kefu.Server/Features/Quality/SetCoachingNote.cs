using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// <c>PUT /api/v1/quality/scores/{id}/coaching</c>: a supervisor writes (or clears, with an empty note) the coaching note
/// the scored agent sees on their score and conversation. The note's text is never logged or audited, only that it changed.
/// </summary>
internal sealed class SetCoachingNote(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/quality/scores/{id:guid}/coaching", async Task<Results<Ok<QualityScoreDto>, ProblemHttpResult>> (
                Guid id, CoachingNoteRequest request, HttpContext http, SetCoachingNote handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Supervise))
            .WithName("SetQualityCoachingNote")
            .WithTags("Quality");

    public async Task<(QualityScoreDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid scoreId, CoachingNoteRequest? request, CancellationToken cancellationToken)
    {
        var reach = await QualityScores.ReachAsync(access, agent, cancellationToken);
        if (!reach.Supervises)
        {
            return (null, QualityErrors.Forbidden);
        }

        var note = request?.Note?.Trim();
        if (note is { Length: > QualityLimits.MaxNoteLength })
        {
            return (null, QualityErrors.InvalidOverride("note", "note must be at most 4000 characters."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var score = await QualityScores.Visible(db, agent, reach).FirstOrDefaultAsync(s => s.Id == scoreId, cancellationToken); // out of their inboxes: not found
        if (score is null)
        {
            return (null, QualityErrors.ScoreNotFound);
        }

        (score.CoachingNote, score.CoachedBy, score.CoachedAt) = string.IsNullOrEmpty(note)
            ? ((string?)null, (Guid?)null, (DateTime?)null)
            : (note, agent.UserId, time.GetUtcNow().UtcDateTime);
        audit.Add(db, new AuditRecord("quality.coached", "quality_score", score.Id.ToString()).By(agent));
        await db.SaveChangesAsync(cancellationToken);
        return (await QualityScores.ToDtosAsync(db, [score], cancellationToken) is [var dto] ? dto : null, null);
    }
}
