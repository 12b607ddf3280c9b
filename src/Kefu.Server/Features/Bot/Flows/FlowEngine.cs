using System.Text.Json;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>A flow turn ready to be written: replies, the run to save, contact changes, and the finish.</summary>
internal sealed record FlowTurnResult(BotFlowRun Run, string FlowName, FlowTurn Turn, bool IsNew);

/// <summary>
/// The bot's flow side: continues the conversation's active run (pinned to its version), or starts a published flow
/// on a trigger — a keyword in the visitor's words, a <c>flow_start:{id}</c> button, or an FAQ article the bot would
/// answer that an admin bound to the flow. Returns null when no flow takes the turn (the FAQ bot answers as before).
/// </summary>
internal sealed class FlowEngine(IDbContextFactory<KefuDbContext> dbFactory, FlowHttp http, FlowSecrets secrets, TimeProvider time)
{
    public async Task<FlowTurnResult?> ContinueOrStartAsync(BotContext context, KnowledgeSnapshot knowledge, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.BotFlowRuns.AsNoTracking().Where(r => r.ConversationId == context.ConversationId && r.Active)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ct);
        if (run is not null)
        {
            return await RunAsync(db, context, knowledge, run, isNew: false, ct);
        }

        var flows = await db.BotFlows.AsNoTracking().Where(f => f.TenantId == context.TenantId && f.PublishedVersion != null)
            .Select(f => new { f.Id, f.Keywords }).ToListAsync(ct);
        Guid? start = null;
        if (context.Action is { Id: var actionId } && actionId.StartsWith("flow_start:", StringComparison.Ordinal) &&
            Guid.TryParse(actionId.AsSpan(11), out var pressed) && flows.Any(f => f.Id == pressed))
        {
            start = pressed;
        }
        else if (context.Action is null)
        {
            var text = context.Message.Text.Trim().ToLowerInvariant();
            start = flows.FirstOrDefault(f => f.Keywords.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Any(k => text.Contains(k.ToLowerInvariant(), StringComparison.Ordinal)))?.Id;
        }

        return start is { } id ? await StartAsync(db, context, knowledge, id, ct) : null;
    }

    /// <summary>
    /// The conversation's active run, ended because the visitor asked for a person (or is angry) in the middle of it:
    /// the run closes with the hand-off and its variables go into the packet, instead of staying active with what the
    /// visitor already gave lost. Null when no run is active.
    /// </summary>
    public async Task<FlowTurnResult?> InterruptAsync(BotContext context, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.BotFlowRuns.AsNoTracking().Where(r => r.ConversationId == context.ConversationId && r.Active)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ct);
        if (run is null)
        {
            return null;
        }

        var name = await db.BotFlows.Where(f => f.Id == run.FlowId).Select(f => f.Name).FirstOrDefaultAsync(ct) ?? "?";
        var state = JsonSerializer.Deserialize<FlowRunState>(run.State, FlowDefinition.Json) ?? new FlowRunState();
        state.Variables = new Dictionary<string, string>(state.Variables, StringComparer.Ordinal);
        state.Waiting = null;
        return new FlowTurnResult(run, name, new FlowTurn([], state, new FlowFinish(true, null, "interrupted"), [], []), IsNew: false);
    }

    /// <summary>The flow bound to an FAQ article the bot was about to answer, started instead; null when none is bound.</summary>
    public async Task<FlowTurnResult?> StartForArticleAsync(BotContext context, KnowledgeSnapshot knowledge, Guid articleId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = articleId.ToString();
        var flowId = await db.BotFlows.AsNoTracking()
            .Where(f => f.TenantId == context.TenantId && f.PublishedVersion != null && f.ArticleIds.Contains(key))
            .Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        return flowId is { } id ? await StartAsync(db, context, knowledge, id, ct) : null;
    }

    private async Task<FlowTurnResult?> StartAsync(KefuDbContext db, BotContext context, KnowledgeSnapshot knowledge, Guid flowId, CancellationToken ct)
    {
        var pick = await db.BotFlows.Where(f => f.Id == flowId).Select(f => new { f.PublishedVersion, f.RolloutVersion, f.RolloutPercent }).FirstAsync(ct);
        var version = FlowRollout.VersionFor(flowId, context.ConversationId, pick.PublishedVersion!.Value, pick.RolloutVersion, pick.RolloutPercent);
        var now = time.GetUtcNow().UtcDateTime;
        var run = new BotFlowRun
        {
            Id = Guid.CreateVersion7(now), TenantId = context.TenantId, ConversationId = context.ConversationId, FlowId = flowId,
            Version = version, State = "{}", Active = true, CreatedAt = now, UpdatedAt = now,
        };
        return await RunAsync(db, context, knowledge, run, isNew: true, ct);
    }

    private async Task<FlowTurnResult?> RunAsync(KefuDbContext db, BotContext context, KnowledgeSnapshot knowledge, BotFlowRun run, bool isNew, CancellationToken ct)
    {
        var row = await db.BotFlowVersions.AsNoTracking().Where(v => v.FlowId == run.FlowId && v.Version == run.Version)
            .Join(db.BotFlows, v => v.FlowId, f => f.Id, (v, f) => new { v.Definition, f.Name }).FirstOrDefaultAsync(ct);
        var flow = row is null ? null : FlowDefinition.Parse(row.Definition);
        var state = JsonSerializer.Deserialize<FlowRunState>(run.State, FlowDefinition.Json) ?? new FlowRunState();
        state.Variables = new Dictionary<string, string>(state.Variables, StringComparer.Ordinal);
        if (flow is null)
        {
            // The version is gone (the flow was deleted): end the run and hand off rather than strand the visitor.
            var gone = new FlowTurn([], state, new FlowFinish(true, null, "flow_error"), [], []);
            return new FlowTurnResult(run, row?.Name ?? "?", gone, isNew);
        }

        var input = new FlowInput(context.Message.Text, ButtonValue(flow, state, context.Action));
        var effects = new FlowEffects(http, await secrets.LoadAsync(db, context.TenantId, ct), knowledge, flow.Language, time);
        var turn = await FlowRunner.RunAsync(flow, state, input, effects, ct);
        return new FlowTurnResult(run, row!.Name, turn, isNew);
    }

    /// <summary>The value of a flow button (<c>flow:{stepId}:{index}</c>) when it belongs to the step the run waits on.</summary>
    private static string? ButtonValue(FlowDefinition flow, FlowRunState state, MessageAction? action)
    {
        var parts = action?.Id.Split(':');
        return parts is ["flow", var step, var index] && step == state.Waiting && flow.Find(step)?.Buttons is { } buttons &&
               int.TryParse(index, out var i) && i >= 0 && i < buttons.Count
            ? buttons[i].Value
            : null;
    }

    /// <summary>The flow's messages as bot replies: buttons become <c>flow:{stepId}:{index}</c> actions.</summary>
    /// <remarks>
    /// Each text gets the cleaning a typed message gets: filled templates can come out empty (a step that is only
    /// <c>{{status}}</c> when the API left it out: not sent) or longer than a message may be (cut to the limit).
    /// </remarks>
    public static IReadOnlyList<BotReply> Replies(FlowTurn turn) =>
        [.. turn.Replies
            .Select(r => (Text: Conversations.Contracts.MessageRules.Clean(r.Text.Length > Conversations.Contracts.MessageRules.MaxTextLength
                ? r.Text[..Conversations.Contracts.MessageRules.MaxTextLength] : r.Text), r.Buttons))
            .Where(r => r.Text is not null || r.Buttons is not null)
            .Select(r => new BotReply(r.Text ?? "…", r.Buttons is null ? null
                : [.. r.Buttons.Select((b, i) => new MessageAction(MessageAction.Choice, $"flow:{turn.State.Waiting}:{i}", b.Label))]))];

    /// <summary>
    /// The state as stored, within <see cref="BotFlowRun.MaxStateLength"/>: when the collected values are too long
    /// (a visitor pasting pages into every slot), the longest values are dropped until it fits, so the turn still
    /// commits and the flow goes on, instead of a save that fails (and repeats its HTTP calls) on every retry.
    /// </summary>
    internal static string Bounded(FlowRunState state)
    {
        var json = JsonSerializer.Serialize(state, FlowDefinition.Json);
        while (json.Length > BotFlowRun.MaxStateLength && state.Variables.Count > 0)
        {
            state.Variables.Remove(state.Variables.MaxBy(v => v.Key.Length + v.Value.Length).Key);
            json = JsonSerializer.Serialize(state, FlowDefinition.Json);
        }

        return json;
    }

    /// <summary>Saves the run (state, still active or not) in the turn's transaction.</summary>
    public static void Save(KefuDbContext db, FlowTurnResult result, DateTime now)
    {
        var run = result.Run;
        run.State = Bounded(result.Turn.State);
        run.Active = result.Turn.Finish is null;
        run.UpdatedAt = now;
        if (result.IsNew)
        {
            db.BotFlowRuns.Add(run);
        }
        else
        {
            db.BotFlowRuns.Update(run);
        }
    }

    /// <summary>The flow part of a hand-off packet.</summary>
    public static FlowPacketDto Packet(FlowTurnResult result, string? skill) =>
        new(result.Run.FlowId, result.FlowName, result.Run.Version, skill,
            result.Turn.State.Variables.Where(v => v.Key is not ("last_input" or "http_error")).ToDictionary(StringComparer.Ordinal));
}
