using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary><c>GET /api/v1/reports/traffic</c> (permission Reports): conversations started by day of week and hour, in a time zone.</summary>
internal sealed class GetTrafficReport(IDbContextFactory<KefuDbContext> dbFactory, ReportRequest request)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reports/traffic", async Task<Results<Ok<TrafficReport>, ProblemHttpResult>> (
                [AsParameters] ReportParameters p, HttpContext http, GetTrafficReport handler, CancellationToken ct) =>
            {
                var (report, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, p, http.Request.Query, ct);
                return error is null ? TypedResults.Ok(report!) : KefuProblems.Problem(error);
            })
            .WithName("GetTrafficReport")
            .WithTags("Analytics")
            .RequireAuthorization(AccessPolicies.For(Permission.Reports));

    public async Task<(TrafficReport? Report, KefuError? Error)> HandleAsync(
        AgentIdentity agent, ReportParameters parameters, IQueryCollection query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (scope, error) = await request.ScopeAsync(db, agent, parameters, query, [], cancellationToken);
        if (scope is null)
        {
            return (null, error);
        }

        var hours = await new ReportSource(db, scope, request.Now).ByHourAsync(cancellationToken);
        var previous = await new ReportSource(db, scope.Previous, request.Now).ByHourAsync(cancellationToken);
        var grid = Enumerable.Range(0, 7).Select(_ => new int[24]).ToArray();
        foreach (var hour in hours)
        {
            // Whole-hour zones map exactly; a half-hour zone puts an hour's conversations in the hour it starts in.
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(hour.Hour, DateTimeKind.Utc), scope.Zone);
            grid[((int)local.DayOfWeek + 6) % 7][local.Hour] += hour.Conversations;
        }

        return (new TrafficReport(scope.From, scope.To, scope.Zone.Id, grid, hours.Sum(h => h.Conversations), previous.Sum(h => h.Conversations)), null);
    }
}
