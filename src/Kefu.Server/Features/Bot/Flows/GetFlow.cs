using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary><c>GET /api/v1/bot/flows/{id}</c> (knowledge permission): a flow with its draft; another workspace's is 404.</summary>
internal sealed class GetFlow(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/bot/flows/{id:guid}", async Task<Results<Ok<FlowDto>, ProblemHttpResult>> (Guid id, HttpContext http, GetFlow h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) is { } dto ? TypedResults.Ok(dto) : FlowProblems.Problem(FlowProblems.NotFound))
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge)).WithName("GetFlow").WithTags("Bot");

    public async Task<FlowDto?> HandleAsync(Guid tenantId, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var flow = await db.BotFlows.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.TenantId == tenantId, ct);
        return flow is null ? null : ToDto(flow);
    }

    public static FlowDto ToDto(BotFlow f) => new(f.Id, f.Name, FlowDefinition.Parse(f.Draft) ?? new FlowDefinition("zh-CN", "", []),
        [.. f.Keywords.Split('\n', StringSplitOptions.RemoveEmptyEntries)],
        [.. f.ArticleIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)], f.PublishedVersion, f.UpdatedAt,
        f.RolloutVersion, f.RolloutPercent);
}
