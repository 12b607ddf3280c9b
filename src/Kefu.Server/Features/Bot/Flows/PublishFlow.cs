using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// <c>POST /api/v1/bot/flows/{id}/publish</c> (knowledge permission): the draft becomes a new immutable version that new
/// runs start on; runs in progress finish on the version they started with.
/// </summary>
internal sealed class PublishFlow(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/bot/flows/{id:guid}/publish", async Task<Results<Ok<FlowDto>, ProblemHttpResult>> (Guid id, HttpContext http, PublishFlow h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) switch
                {
                    ({ } dto, _) => TypedResults.Ok(dto),
                    (_, { } error) => FlowProblems.Problem(error),
                    _ => FlowProblems.Problem(FlowProblems.NotFound),
                })
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("PublishFlow").CreatesResource().WithTags("Bot");

    public async Task<(FlowDto? Flow, FlowError? Error)> HandleAsync(Guid tenantId, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var flow = await db.BotFlows.FirstOrDefaultAsync(f => f.Id == id && f.TenantId == tenantId, ct);
        if (flow is null)
        {
            return (null, null);
        }

        if (FlowValidator.Validate(FlowDefinition.Parse(flow.Draft)) is { } error)
        {
            return (null, error);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var version = (await db.BotFlowVersions.Where(v => v.FlowId == id).MaxAsync(v => (int?)v.Version, ct) ?? 0) + 1;
        db.BotFlowVersions.Add(new BotFlowVersion { TenantId = tenantId, FlowId = id, Version = version, Definition = flow.Draft, CreatedAt = now });
        flow.PublishedVersion = version;
        flow.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return (GetFlow.ToDto(flow), null);
    }
}
