using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// <c>POST /api/v1/bot/flows/{id}/test</c> (knowledge permission): one turn of the <b>draft</b> for the editor's test
/// chat. Stateless: the caller sends back the state the previous turn returned. HTTP actions and knowledge-base answers
/// run for real; contact changes are reported, not applied.
/// </summary>
internal sealed class TestFlowDraft(IDbContextFactory<KefuDbContext> dbFactory, FlowHttp http, FlowSecrets secrets, IKnowledgeModels models, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/bot/flows/{id:guid}/test", async Task<Results<Ok<FlowTestResult>, ProblemHttpResult>> (Guid id, FlowTestRequest request, HttpContext http, TestFlowDraft h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, request, ct) switch
                {
                    ({ } result, _) => TypedResults.Ok(result),
                    (_, { } error) => FlowProblems.Problem(error),
                    _ => FlowProblems.Problem(FlowProblems.NotFound),
                })
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("TestFlowDraft").WithTags("Bot");

    public async Task<(FlowTestResult? Result, FlowError? Error)> HandleAsync(Guid tenantId, Guid id, FlowTestRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.BotFlows.AsNoTracking().Where(f => f.Id == id && f.TenantId == tenantId).Select(f => f.Draft).FirstOrDefaultAsync(ct);
        if (draft is null)
        {
            return (null, null);
        }

        var flow = FlowDefinition.Parse(draft);
        if (FlowValidator.Validate(flow) is { } error)
        {
            return (null, error);
        }

        var state = request.State ?? new FlowRunState();
        state.Variables = new Dictionary<string, string>(state.Variables ?? [], StringComparer.Ordinal);
        if (state.Variables.Count > 100 || state.Variables.Any(v => v.Value is null || v.Value.Length > FlowValues.MaxValueLength))
        {
            return (null, new FlowError("invalid_flow", "The test state is not one this endpoint returned."));
        }

        var buttons = flow!.Find(state.Waiting)?.Buttons;
        var button = request.ButtonIndex is { } i && buttons is not null && i >= 0 && i < buttons.Count ? buttons[i].Value : null;
        var text = (request.Text ?? "").Trim();
        var effects = new FlowEffects(http, await secrets.LoadAsync(db, tenantId, ct), await models.GetAsync(tenantId, ct), flow.Language, time);
        var turn = await FlowRunner.RunAsync(flow, state, new FlowInput(text.Length > 2000 ? text[..2000] : text, button), effects, ct);
        return (new FlowTestResult(
            [.. turn.Replies.Select(r => new FlowTestReply(r.Text, r.Buttons?.Select(b => b.Label).ToList()))], turn.State,
            turn.Finish is null ? null : turn.Finish.HandedOff ? "handoff" : "end", turn.Finish?.Skill, turn.Trace,
            turn.State.Variables.GetValueOrDefault("http_error") is { Length: > 0 } e ? e : null), null);
    }
}
