using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// Who sees which score: a person with <c>supervise</c> sees every score of the workspace; anyone else only the scores of
/// conversations they were scored for. Anything else reads as not found, like another workspace's.
/// </summary>
internal sealed class QualityScores(IAccessControl access)
{
    public async Task<bool> SupervisesAsync(AgentIdentity agent, CancellationToken cancellationToken) =>
        await access.AllowsAsync(agent, Permission.Supervise, cancellationToken);

    public static IQueryable<QualityScore> Visible(KefuDbContext db, AgentIdentity agent, bool supervises) =>
        db.Set<QualityScore>().Where(s => s.TenantId == agent.TenantId && (supervises || s.AgentId == agent.UserId));

    public static async Task<List<QualityScoreDto>> ToDtosAsync(KefuDbContext db, IReadOnlyList<QualityScore> scores, CancellationToken cancellationToken)
    {
        var ids = scores.Select(s => s.ScorecardId).Distinct().ToList();
        var names = await db.Set<Scorecard>().AsNoTracking().Where(s => EF.Parameter(ids).Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return [.. scores.Select(s => ToDto(s, names.GetValueOrDefault(s.ScorecardId) ?? ""))];
    }

    public static QualityScoreDto ToDto(QualityScore s, string name) =>
        new(s.Id, s.ConversationId, s.ScorecardId, name, s.Version, s.AgentId, s.Score, s.AutoScore, s.ScoredAt, QualityJson.Results(s.Items),
            s.CoachingNote, s.CoachedBy, s.CoachedAt);
}
