using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary><c>GET /api/v1/reports/overview</c> (permission Reports): the headline numbers, the previous period's and a daily trend.</summary>
internal sealed class GetOverviewReport(IDbContextFactory<KefuDbContext> dbFactory, ReportRequest request)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reports/overview", async Task<Results<Ok<OverviewReport>, ProblemHttpResult>> (
                [AsParameters] ReportParameters p, HttpContext http, GetOverviewReport handler, CancellationToken ct) =>
            {
                var (report, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, p, http.Request.Query, ct);
                return error is null ? TypedResults.Ok(report!) : KefuProblems.Problem(error);
            })
            .WithName("GetOverviewReport")
            .WithTags("Analytics")
            .RequireAuthorization(AccessPolicies.For(Permission.Reports));

    public async Task<(OverviewReport? Report, KefuError? Error)> HandleAsync(
        AgentIdentity agent, ReportParameters parameters, IQueryCollection query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (scope, error) = await request.ScopeAsync(db, agent, parameters, query, [], cancellationToken);
        if (scope is null)
        {
            return (null, error);
        }

        var (hours, current) = await ReadAsync(db, scope, request.Now, cancellationToken);
        var (_, previous) = await ReadAsync(db, scope.Previous, request.Now, cancellationToken);
        var trend = hours.GroupBy(h => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(h.Hour, DateTimeKind.Utc), scope.Zone)))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var day = ReportMath.Total(g);
                return new ReportTrendPoint(g.Key, day.Conversations, ReportMath.Mean(day.FirstResponseSeconds, day.Responded), day.Resolved, day.Abandoned,
                    ReportMath.Ratio(day.CsatSatisfied, day.CsatAnswers), ReportMath.Ratio(day.BotContained, day.BotInvolved), ReportMath.Mean(day.WaitSeconds, day.Waited),
                    ReportMath.Mean(day.ResolutionSeconds, day.Resolved), ReportMath.Ratio(day.Abandoned, day.Queued),
                    day.NpsAnswers == 0 ? null : Math.Round(100.0 * (day.NpsPromoters - day.NpsDetractors) / day.NpsAnswers, 1));
            })
            .ToList();
        return (new OverviewReport(scope.From, scope.To, current, previous, trend), null);
    }

    private static async Task<(List<Summed> Hours, ReportMetrics Metrics)> ReadAsync(KefuDbContext db, ReportScope scope, DateTime now, CancellationToken cancellationToken)
    {
        var source = new ReportSource(db, scope, now);
        var hours = await source.ByHourAsync(cancellationToken);
        var buckets = await source.BucketsAsync(perHolder: false, metric: null, cancellationToken);
        return (hours, ReportMath.Metrics(ReportMath.Total(hours), buckets));
    }
}
