using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// Who sees which score: a person with <c>supervise</c> sees the scores of the workspace's conversations in the inboxes
/// they may use (ADR 0008); anyone else only the scores of conversations they were scored for. Anything else reads as
/// not found, like another workspace's.
/// </summary>
internal sealed class QualityScores(IAccessControl access)
{
    public Task<ScoreReach> ReachAsync(AgentIdentity agent, CancellationToken cancellationToken) => ReachAsync(access, agent, cancellationToken);

    /// <summary>What <paramref name="agent"/> may read and, with <c>supervise</c>, work on.</summary>
    public static async Task<ScoreReach> ReachAsync(IAccessControl access, AgentIdentity agent, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Supervise, cancellationToken))
        {
            return ScoreReach.Own;
        }

        var mine = (await access.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken)).For(agent);
        return mine is null ? ScoreReach.Own : new ScoreReach(true, mine.Inboxes);
    }

    public static IQueryable<QualityScore> Visible(KefuDbContext db, AgentIdentity agent, ScoreReach reach)
    {
        var scores = db.Set<QualityScore>().Where(s => s.TenantId == agent.TenantId);
        if (!reach.Supervises)
        {
            return scores.Where(s => s.AgentId == agent.UserId);
        }

        if (reach.Inboxes is { } inboxes)
        {
            var allowed = inboxes.ToList();
            return scores.Where(s => allowed.Contains(s.InboxId));
        }

        return scores;
    }

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

/// <summary>A reader's reach over scores: every score of the inboxes they may use (<paramref name="Inboxes"/> null: all) when they supervise, else their own.</summary>
internal sealed record ScoreReach(bool Supervises, IReadOnlySet<Guid>? Inboxes)
{
    public static readonly ScoreReach Own = new(false, null);

    public bool MayUseInbox(Guid inboxId) => Supervises && (Inboxes is null || Inboxes.Contains(inboxId));
}
