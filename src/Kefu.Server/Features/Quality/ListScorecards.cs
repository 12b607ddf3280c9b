using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary><c>GET /api/v1/quality/scorecards</c> and <c>GET /api/v1/quality/scorecards/{id}</c>: scorecards at their current version, with rescoring progress.</summary>
internal sealed class ListScorecards(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/quality/scorecards", async Task<Ok<IReadOnlyList<ScorecardDto>>> (HttpContext http, ListScorecards handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(AgentIdentity.From(http.User)!.TenantId, null, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Supervise))
            .WithName("ListScorecards")
            .WithTags("Quality");
        api.MapGet("/quality/scorecards/{id:guid}", async Task<Results<Ok<ScorecardDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, ListScorecards handler, CancellationToken ct) =>
            {
                var found = await handler.ListAsync(AgentIdentity.From(http.User)!.TenantId, id, ct);
                return found.Count == 1 ? TypedResults.Ok(found[0]) : KefuProblems.Problem(QualityErrors.ScorecardNotFound);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Supervise))
            .WithName("GetScorecard")
            .WithTags("Quality");
    }

    public async Task<IReadOnlyList<ScorecardDto>> ListAsync(Guid tenantId, Guid? id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cards = await db.Set<Scorecard>().AsNoTracking().Where(s => s.TenantId == tenantId && (id == null || s.Id == id))
            .Join(db.Set<ScorecardVersion>(), s => s.VersionId, v => v.Id, (s, v) => new { Card = s, v.Items })
            .OrderBy(x => x.Card.Name).ToListAsync(cancellationToken);
        var ids = cards.Select(c => c.Card.Id).ToList();
        var jobs = (await db.Set<QualityRescoreJob>().AsNoTracking().Where(j => EF.Parameter(ids).Contains(j.ScorecardId)).ToListAsync(cancellationToken))
            .GroupBy(j => j.ScorecardId).ToDictionary(g => g.Key, g => g.OrderByDescending(j => j.Version).First());
        return [.. cards.Select(c => ToDto(c.Card, QualityJson.Items(c.Items), jobs.GetValueOrDefault(c.Card.Id)))];
    }

    public static ScorecardDto ToDto(Scorecard card, IReadOnlyList<ScorecardItem> items, QualityRescoreJob? job) =>
        new(card.Id, card.Name, card.InboxId, card.Active, card.Version, card.VersionId, items, card.UpdatedAt,
            job is null ? null : new RescoringDto(job.Version, job.Status, job.Scored, job.Cursor, job.FinishedAt));
}
