using System.Text.Json;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>
/// Every workspace's enabled rules, compiled, in one snapshot: the message path asks it whether a workspace has a rule
/// for an event without touching the database. Saving a rule on this node drops the snapshot; other nodes reload it
/// after <see cref="AutomationOptions.RuleCacheLifetime"/>, and until then an old snapshot only answers "maybe", so an
/// event is never skipped for a rule that exists.
/// </summary>
internal sealed class RuleCache(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time, Microsoft.Extensions.Options.IOptions<AutomationOptions> options)
{
    private sealed record Snapshot(ILookup<(Guid Tenant, string Trigger), CompiledRule> Rules, long LoadedAt);

    private volatile Snapshot? _snapshot;

    /// <summary>Drops the snapshot; the next pass reloads it.</summary>
    public void Invalidate() => _snapshot = null;

    /// <summary>
    /// False only when a current snapshot says the workspace has no enabled rule for this trigger: cheap, for
    /// <c>Handles</c>. A missing or stale snapshot says true, and the pass reloads it.
    /// </summary>
    public bool MayWant(Guid tenantId, string trigger) =>
        _snapshot is not { } s || Stale(s) || s.Rules.Contains((tenantId, trigger));

    /// <summary>The workspace's enabled rules for a trigger, in order, reloading a missing or stale snapshot first.</summary>
    public async Task<IReadOnlyList<CompiledRule>> ForAsync(Guid tenantId, string trigger, CancellationToken cancellationToken) =>
        [.. (await CurrentAsync(cancellationToken)).Rules[(tenantId, trigger)]];

    /// <summary>Every enabled idle rule, for the sweep.</summary>
    public async Task<IReadOnlyList<CompiledRule>> IdleRulesAsync(CancellationToken cancellationToken) =>
        [.. (await CurrentAsync(cancellationToken)).Rules.Where(g => g.Key.Trigger == AutomationNames.Idle).SelectMany(g => g)];

    private bool Stale(Snapshot s) => time.GetElapsedTime(s.LoadedAt) > options.Value.RuleCacheLifetime;

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } s && !Stale(s))
        {
            return s;
        }

        var loadedAt = time.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AutomationRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        var fresh = new Snapshot(rows.Select(Compile).ToLookup(r => (r.TenantId, r.Trigger)), loadedAt);
        _snapshot = fresh;
        return fresh;
    }

    public static CompiledRule Compile(AutomationRule r)
    {
        var conditions = JsonSerializer.Deserialize<List<RuleCondition>>(r.Conditions, AutomationValidation.Json) ?? [];
        var actions = JsonSerializer.Deserialize<List<RuleAction>>(r.Actions, AutomationValidation.Json) ?? [];
        return new CompiledRule(
            r.Id, r.TenantId, r.Name, r.Trigger, r.Sender, r.IdleMinutes, r.Match == "any",
            [.. conditions.Select(c => new CompiledCondition(c.Field!, c.Operator!, c.Value?.Trim() ?? "",
                c.Operator == "matches" ? RuleMatcher.Compile(c.Value!.Trim()) : null, c.Key?.Trim()))],
            actions, r.ActorId);
    }
}
