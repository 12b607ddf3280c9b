using System.Text.Json;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// Reads resolved conversations as scripts and stores their scores; shared by the durable-lane consumer
/// (<see cref="ScoreResolvedConversations"/>) and the background <see cref="Rescorer"/>. Set-based: a batch of
/// conversations costs one read of conversations, one of messages, one of timeline events, one of existing scores and one
/// <c>SaveChanges</c>, whatever its size.
/// </summary>
internal sealed class ScoreWriter(ScorecardCache cache, TimeProvider time)
{
    private static readonly string[] EventTypes = [ConversationAssigned.Name, ConversationTransferred.Name, ConversationHandedOff.Name, SurveyAnswered.Name];

    /// <summary>Resolved conversations among <paramref name="ids"/>, as scripts (others are left out).</summary>
    public static async Task<List<ConversationScript>> LoadAsync(KefuDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var conversations = await db.Conversations.AsNoTracking()
            .Where(c => EF.Parameter(ids).Contains(c.Id) && c.Status == ConversationStatus.Resolved)
            .Select(c => new { c.Id, c.TenantId, c.InboxId, c.AssigneeId, c.ResolvedAt, c.LastMessageAt }).ToListAsync(cancellationToken);
        if (conversations.Count == 0)
        {
            return [];
        }

        var found = conversations.Select(c => c.Id).ToList();
        var messages = (await db.Messages.AsNoTracking().Where(m => EF.Parameter(found).Contains(m.ConversationId))
                .Select(m => new { m.ConversationId, m.Seq, Message = new ScriptMessage(m.Id, m.SenderType, m.SenderId, m.Text, m.CreatedAt, m.MaskedValues) })
                .ToListAsync(cancellationToken))
            .GroupBy(m => m.ConversationId).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Seq).Select(m => m.Message).ToList());
        var events = (await db.ConversationEvents.AsNoTracking()
                .Where(e => EF.Parameter(found).Contains(e.ConversationId) && EventTypes.Contains(e.Type))
                .Select(e => new { e.ConversationId, e.Id, e.Type, e.CreatedAt, e.Data }).ToListAsync(cancellationToken))
            .GroupBy(e => e.ConversationId)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Id).Select(e => new ScriptEvent(e.Type, e.CreatedAt, e.Type == SurveyAnswered.Name ? Kind(e.Data) : null)).ToList());
        return [.. conversations.Select(c => new ConversationScript(c.Id, c.TenantId, c.InboxId, c.AssigneeId, c.ResolvedAt ?? c.LastMessageAt,
            messages.GetValueOrDefault(c.Id) ?? [], events.GetValueOrDefault(c.Id) ?? []))];
    }

    /// <summary>The active scorecards of these workspaces at their current versions, compiled (from the cache when built before).</summary>
    public async Task<List<(Guid TenantId, CompiledScorecard Card)>> ActiveAsync(KefuDbContext db, IReadOnlyCollection<Guid> tenants, CancellationToken cancellationToken)
    {
        var rows = await db.Set<Scorecard>().AsNoTracking().Where(s => s.Active && EF.Parameter(tenants).Contains(s.TenantId))
            .Join(db.Set<ScorecardVersion>(), s => s.VersionId, v => v.Id, (s, v) => new { s.Id, s.TenantId, s.Name, s.InboxId, s.VersionId, v.Version, v.Items })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.TenantId, cache.Get(r.VersionId, () => new CompiledScorecard(r.Id, r.VersionId, r.Version, r.Name, r.InboxId, QualityJson.Items(r.Items)))))];
    }

    /// <summary>One version, compiled; null when it no longer exists.</summary>
    public async Task<CompiledScorecard?> VersionAsync(KefuDbContext db, Guid versionId, CancellationToken cancellationToken)
    {
        var row = await db.Set<ScorecardVersion>().AsNoTracking().Where(v => v.Id == versionId)
            .Join(db.Set<Scorecard>(), v => v.ScorecardId, s => s.Id, (v, s) => new { s.Id, s.Name, s.InboxId, v.Version, v.Items })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : cache.Get(versionId, () => new CompiledScorecard(row.Id, versionId, row.Version, row.Name, row.InboxId, QualityJson.Items(row.Items)));
    }

    /// <summary>
    /// Scores every script by every card that applies to it (same workspace; the card's inbox or every inbox) and adds or
    /// updates the score rows in <paramref name="db"/> (not saved). An existing row of the same version keeps its
    /// overrides and coaching note; only the automatic outcomes are recomputed, so handling an event twice changes nothing.
    /// </summary>
    public async Task<int> ScoreAsync(
        KefuDbContext db, IReadOnlyList<ConversationScript> scripts, IReadOnlyList<(Guid TenantId, CompiledScorecard Card)> cards, CancellationToken cancellationToken)
    {
        var versions = cards.Select(c => c.Card.VersionId).Distinct().ToList();
        var ids = scripts.Select(s => s.ConversationId).ToList();
        if (versions.Count == 0 || ids.Count == 0)
        {
            return 0;
        }

        var existing = await db.Set<QualityScore>().Where(s => EF.Parameter(ids).Contains(s.ConversationId) && EF.Parameter(versions).Contains(s.ScorecardVersionId))
            .ToDictionaryAsync(s => (s.ScorecardVersionId, s.ConversationId), cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var written = 0;
        foreach (var script in scripts)
        {
            foreach (var (tenant, card) in cards)
            {
                if (tenant != script.TenantId || card.InboxId is { } inbox && inbox != script.InboxId)
                {
                    continue;
                }

                var results = ScoringEngine.Score(card, script);
                if (existing.TryGetValue((card.VersionId, script.ConversationId), out var row))
                {
                    results = KeepOverrides(results, QualityJson.Results(row.Items));
                }
                else
                {
                    row = new QualityScore
                    {
                        Id = Guid.CreateVersion7(), TenantId = script.TenantId, ConversationId = script.ConversationId, ScorecardId = card.ScorecardId,
                        ScorecardVersionId = card.VersionId, Version = card.Version, Items = "", SampleKey = Random.Shared.Next(),
                    };
                    db.Add(row);
                    existing.Add((card.VersionId, script.ConversationId), row);
                }

                (row.InboxId, row.AgentId, row.ResolvedAt, row.ScoredAt) = (script.InboxId, script.AgentId, script.ResolvedAt, now);
                (row.Items, row.AutoScore, row.Score) = (QualityJson.Results(results), ScoringEngine.Total(results, false), ScoringEngine.Total(results, true));
                written++;
            }
        }

        return written;
    }

    private static List<ItemResultDto> KeepOverrides(List<ItemResultDto> fresh, List<ItemResultDto> old) =>
        [.. fresh.Select(r => old.FirstOrDefault(o => o.Index == r.Index && o.Override is not null) is { } o
            ? r with { Override = o.Override, OverrideComment = o.OverrideComment, OverriddenBy = o.OverriddenBy, OverriddenAt = o.OverriddenAt }
            : r)];

    private static string? Kind(string? data)
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(data);
            return doc.RootElement.TryGetProperty("kind", out var kind) ? kind.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
