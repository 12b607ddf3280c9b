using System.Globalization;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/reports/agents</c> (permission Reports): per agent (a page by id: <c>cursor</c>, <c>limit</c> up to
/// <see cref="MaxLimit"/>) and per team. Names are read now, so a renamed agent shows their new name on old numbers.
/// </summary>
internal sealed class GetAgentsReport(IDbContextFactory<KefuDbContext> dbFactory, ReportRequest request)
{
    public const int MaxLimit = 200;
    private static readonly string[] Paging = ["cursor", "limit"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reports/agents", async Task<Results<Ok<AgentsReport>, ProblemHttpResult>> (
                [AsParameters] ReportParameters p, HttpContext http, GetAgentsReport handler, CancellationToken ct, string? cursor = null, string? limit = null) =>
            {
                var (report, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, p, http.Request.Query, cursor, limit, ct);
                return error is null ? TypedResults.Ok(report!) : KefuProblems.Problem(error);
            })
            .WithName("GetAgentsReport")
            .WithTags("Analytics")
            .RequireAuthorization(AccessPolicies.For(Permission.Reports));

    public async Task<(AgentsReport? Report, KefuError? Error)> HandleAsync(
        AgentIdentity agent, ReportParameters parameters, IQueryCollection query, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (scope, error) = await request.ScopeAsync(db, agent, parameters, query, Paging, cancellationToken);
        if (scope is null)
        {
            return (null, error);
        }

        Guid after = default;
        var size = 50;
        if ((cursor is not null && !Guid.TryParse(cursor, out after)) ||
            (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit)))
        {
            return (null, AnalyticsErrors.InvalidFilter(cursor is not null && after == default ? "cursor" : "limit"));
        }

        var source = new ReportSource(db, scope, request.Now);
        var rows = await source.ByHolderAsync(cancellationToken);
        var buckets = await source.BucketsAsync(perHolder: true, DurationMetric.FirstResponse, cancellationToken); // the one duration the table gives a median of
        var agents = rows.Where(r => r.AgentId is { } id && id.CompareTo(after) > 0).GroupBy(r => r.AgentId!.Value).OrderBy(g => g.Key).Take(size + 1).ToList();
        var page = agents.Take(size).Select(g => g.Key).ToList();
        var agentNames = await db.Users.AsNoTracking().Where(u => u.TenantId == scope.TenantId && EF.Parameter(page).Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var teamNames = await db.Teams.AsNoTracking().Where(t => t.TenantId == scope.TenantId).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var agentRows = agents.Take(size)
            .Select(g => ReportMath.Holder(g.Key, agentNames.GetValueOrDefault(g.Key), ReportMath.Total(g), buckets.Where(b => b.AgentId == g.Key)))
            .ToList();
        var teamRows = rows.GroupBy(r => r.TeamId).OrderBy(g => g.Key is null).ThenBy(g => g.Key is { } t ? teamNames.GetValueOrDefault(t) : null, StringComparer.Ordinal)
            .Select(g => ReportMath.Holder(g.Key, g.Key is { } t ? teamNames.GetValueOrDefault(t) : null, ReportMath.Total(g), buckets.Where(b => b.TeamId == g.Key)))
            .ToList();
        var next = agents.Count > size ? page[^1].ToString() : null;
        return (new AgentsReport(scope.From, scope.To, agentRows, teamRows, next), null);
    }
}
