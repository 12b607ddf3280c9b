using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// <c>PUT /api/v1/bot/flows/{id}/rollout</c> (knowledge permission): changes a gray release. 100 promotes the version in
/// gray release to everyone, 0 rolls it back (new conversations all start the published version again), 1–99 changes
/// its share. Runs in progress are never moved. 409 <c>flow_no_rollout</c> when no version is in gray release.
/// </summary>
internal sealed class ChangeFlowRollout(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/bot/flows/{id:guid}/rollout", async Task<Results<Ok<FlowDto>, ProblemHttpResult>> (Guid id, FlowRolloutRequest request, HttpContext http, ChangeFlowRollout h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, request, ct) switch
                {
                    ({ } dto, _) => TypedResults.Ok(dto),
                    (_, var error) => FlowProblems.Problem(error!),
                })
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("ChangeFlowRollout").WithTags("Bot");

    public async Task<(FlowDto? Flow, KefuError? Error)> HandleAsync(Guid tenantId, Guid id, FlowRolloutRequest request, CancellationToken ct)
    {
        if (request.Percent is < 0 or > 100)
        {
            return (null, FlowProblems.Invalid("percent", "A share is 0 to 100 percent."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var flow = await db.BotFlows.FirstOrDefaultAsync(f => f.Id == id && f.TenantId == tenantId, ct);
        if (flow is null)
        {
            return (null, FlowProblems.NotFound);
        }

        if (flow.RolloutVersion is not { } candidate)
        {
            return (null, FlowProblems.NoRollout);
        }

        switch (request.Percent)
        {
            case 100:
                flow.PublishedVersion = candidate;
                flow.RolloutVersion = null;
                flow.RolloutPercent = 0;
                break;
            case 0:
                flow.RolloutVersion = null;
                flow.RolloutPercent = 0;
                break;
            default:
                flow.RolloutPercent = request.Percent;
                break;
        }

        flow.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return (GetFlow.ToDto(flow), null);
    }
}
