using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// <c>POST /api/v1/bot/flows/{id}/publish</c> (knowledge permission): the draft becomes a new immutable version that new
/// runs start on; runs in progress finish on the version they started with. With <c>{ "percent": n }</c> below 100 the
/// new version goes to that share of new conversations only (gray release, ADR 0041); the rest keep the published one.
/// </summary>
internal sealed class PublishFlow(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/bot/flows/{id:guid}/publish", async Task<Results<Ok<FlowDto>, ProblemHttpResult>> (Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] PublishFlowRequest? request, HttpContext http, PublishFlow h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, request?.Percent, ct) switch
                {
                    ({ } dto, _, _) => TypedResults.Ok(dto),
                    (_, { } flowError, _) => FlowProblems.Problem(flowError),
                    (_, _, { } error) => FlowProblems.Problem(error),
                    _ => FlowProblems.Problem(FlowProblems.NotFound),
                })
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("PublishFlow").CreatesResource().WithTags("Bot");

    public async Task<(FlowDto? Flow, FlowError? FlowError, KefuError? Error)> HandleAsync(Guid tenantId, Guid id, int? percent, CancellationToken ct)
    {
        if (percent is < 1 or > 100)
        {
            return (null, null, FlowProblems.Invalid("percent", "Publish to 1 to 100 percent of new conversations."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var flow = await db.BotFlows.FirstOrDefaultAsync(f => f.Id == id && f.TenantId == tenantId, ct);
        if (flow is null)
        {
            return (null, null, null);
        }

        if (FlowValidator.Validate(FlowDefinition.Parse(flow.Draft)) is { } error)
        {
            return (null, error, null);
        }

        var share = percent ?? 100;
        if (share < 100 && flow.PublishedVersion is null)
        {
            return (null, null, FlowProblems.Invalid("percent", "The first version goes to everyone: there is no earlier version for the rest."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var version = (await db.BotFlowVersions.Where(v => v.FlowId == id).MaxAsync(v => (int?)v.Version, ct) ?? 0) + 1;
        db.BotFlowVersions.Add(new BotFlowVersion { TenantId = tenantId, FlowId = id, Version = version, Definition = flow.Draft, CreatedAt = now });
        if (share == 100)
        {
            flow.PublishedVersion = version;
            flow.RolloutVersion = null;
            flow.RolloutPercent = 0;
        }
        else
        {
            // A newer candidate replaces one still in gray release; the published version stays for the rest.
            flow.RolloutVersion = version;
            flow.RolloutPercent = share;
        }

        flow.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two publishes at once took the same version number: the unique (flow, version) index keeps one of them.
            return (null, null, FlowProblems.PublishedMeanwhile);
        }

        return (GetFlow.ToDto(flow), null, null);
    }
}
