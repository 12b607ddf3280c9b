using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// <c>GET /api/v1/bot/flows/{id}/versions</c> (knowledge permission): the published versions, newest first, with the
/// share of new conversations each starts now and how many conversations ran it; another workspace's flow is 404.
/// </summary>
internal sealed class ListFlowVersions(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/bot/flows/{id:guid}/versions", async Task<Results<Ok<IReadOnlyList<FlowVersionDto>>, ProblemHttpResult>> (Guid id, HttpContext http, ListFlowVersions h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) is { } list ? TypedResults.Ok(list) : FlowProblems.Problem(FlowProblems.NotFound))
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("ListFlowVersions").WithTags("Bot");

    public async Task<IReadOnlyList<FlowVersionDto>?> HandleAsync(Guid tenantId, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var flow = await db.BotFlows.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.TenantId == tenantId, ct);
        if (flow is null)
        {
            return null;
        }

        var versions = await db.BotFlowVersions.AsNoTracking().Where(v => v.FlowId == id).OrderByDescending(v => v.Version)
            .Select(v => new { v.Version, v.CreatedAt }).ToListAsync(ct);
        var runs = await db.BotFlowRuns.AsNoTracking().Where(r => r.FlowId == id).GroupBy(r => r.Version)
            .Select(g => new { Version = g.Key, Runs = g.Count(), Active = g.Count(r => r.Active) }).ToDictionaryAsync(g => g.Version, ct);
        return [.. versions.Select(v => new FlowVersionDto(v.Version, v.CreatedAt, Share(flow, v.Version),
            runs.GetValueOrDefault(v.Version)?.Runs ?? 0, runs.GetValueOrDefault(v.Version)?.Active ?? 0))];
    }

    private static int Share(BotFlow flow, int version) =>
        version == flow.RolloutVersion ? flow.RolloutPercent
        : version == flow.PublishedVersion ? 100 - (flow.RolloutVersion is null ? 0 : flow.RolloutPercent)
        : 0;
}
