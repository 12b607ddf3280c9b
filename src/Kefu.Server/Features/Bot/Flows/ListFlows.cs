using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary><c>GET /api/v1/bot/flows</c> (knowledge permission): the workspace's flows by name (a workspace has at most <see cref="SaveFlowDraft.MaxPerWorkspace"/>).</summary>
internal sealed class ListFlows(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/bot/flows", async Task<Ok<IReadOnlyList<FlowSummaryDto>>> (HttpContext http, ListFlows h, CancellationToken ct) =>
                TypedResults.Ok(await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("ListFlows").WithTags("Bot");

    public async Task<IReadOnlyList<FlowSummaryDto>> HandleAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.BotFlows.AsNoTracking().Where(f => f.TenantId == tenantId).OrderBy(f => f.Name).ToListAsync(ct);
        var ids = rows.Select(f => f.Id).ToList();
        var active = await db.BotFlowRuns.AsNoTracking().Where(r => r.TenantId == tenantId && r.Active && EF.Parameter(ids).Contains(r.FlowId))
            .GroupBy(r => r.FlowId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return [.. rows.Select(f => new FlowSummaryDto(f.Id, f.Name, f.PublishedVersion, FlowDefinition.Parse(f.Draft)?.Steps.Count ?? 0, f.UpdatedAt,
            [.. f.Keywords.Split('\n', StringSplitOptions.RemoveEmptyEntries)], f.ArticleIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length,
            f.RolloutVersion, f.RolloutPercent, active.GetValueOrDefault(f.Id)))];
    }
}
