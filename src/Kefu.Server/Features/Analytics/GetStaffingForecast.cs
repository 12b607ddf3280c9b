using System.Globalization;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/reports/staffing</c> (permission Reports): agents needed each hour of the week to answer
/// <c>targetShare</c> of the visitors who reach the line within <c>targetSeconds</c>, by Erlang C on the last
/// <c>weeks</c> weeks' arrivals at that hour and their mean handling time, beside the agents whose shifts cover it.
/// The range is always the weeks before the current hour, so <c>from</c> and <c>to</c> are refused, not ignored.
/// </summary>
internal sealed class GetStaffingForecast(IDbContextFactory<KefuDbContext> dbFactory, ReportRequest request)
{
    private static readonly string[] Extra = ["weeks", "targetSeconds", "targetShare", "concurrency"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reports/staffing", async Task<Results<Ok<StaffingForecast>, ProblemHttpResult>> (
                [AsParameters] ReportParameters p, HttpContext http, GetStaffingForecast handler, CancellationToken ct,
                string? weeks = null, string? targetSeconds = null, string? targetShare = null, string? concurrency = null) =>
            {
                var (report, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, p, http.Request.Query,
                    new StaffingTarget(weeks, targetSeconds, targetShare, concurrency), ct);
                return error is null ? TypedResults.Ok(report!) : KefuProblems.Problem(error);
            })
            .WithName("GetStaffingForecast")
            .WithTags("Analytics")
            .RequireAuthorization(AccessPolicies.For(Permission.Reports));

    public async Task<(StaffingForecast? Report, KefuError? Error)> HandleAsync(
        AgentIdentity agent, ReportParameters parameters, IQueryCollection query, StaffingTarget target, CancellationToken cancellationToken)
    {
        if (parameters.From is not null || parameters.To is not null)
        {
            return (null, AnalyticsErrors.UnknownFilter(parameters.From is not null ? "from" : "to"));
        }

        if (target.Parse() is not { } t)
        {
            return (null, AnalyticsErrors.InvalidFilter(target.InvalidField()!));
        }

        var to = FactTimeline.HourOf(request.Now);
        var range = parameters with { From = to.AddDays(-7 * t.Weeks).ToString("O", CultureInfo.InvariantCulture), To = to.ToString("O", CultureInfo.InvariantCulture) };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (scope, error) = await request.ScopeAsync(db, agent, range, query, Extra, cancellationToken);
        if (scope is null)
        {
            return (null, error);
        }

        var hours = await new ReportSource(db, scope, request.Now).ByHourAsync(cancellationToken);
        var total = ReportMath.Total(hours);
        var handling = total.Handled == 0 ? 300 : Math.Max(1, total.HandlingSeconds / total.Handled);
        var arrivals = new double[7, 24];
        foreach (var hour in hours)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(hour.Hour, DateTimeKind.Utc), scope.Zone);
            arrivals[((int)local.DayOfWeek + 6) % 7, local.Hour] += hour.Queued;
        }

        var concurrency = t.Concurrency ?? await MeanCapacityAsync(db, scope.TenantId, cancellationToken);
        var shifts = await ShiftsAsync(db, scope.TenantId, request.Now, cancellationToken);
        var week = NextWeek(request.Now, scope.Zone);
        var rows = new List<StaffingHour>(168);
        for (var day = 0; day < 7; day++)
        {
            for (var h = 0; h < 24; h++)
            {
                var rate = Math.Round(arrivals[day, h] / t.Weeks, 2);
                var slots = ErlangC.ServersFor(rate, handling, t.TargetSeconds, t.TargetShare);
                double? level = rate == 0 ? null : Math.Round(ErlangC.ServiceLevel(slots, rate * handling / 3600, handling, t.TargetSeconds), 4);
                var at = week[(day * 24) + h];
                rows.Add(new StaffingHour(day, h, rate, slots, (int)Math.Ceiling(slots / concurrency), level, shifts.Count(s => s.IsOpen(at))));
            }
        }

        return (new StaffingForecast(scope.From, scope.To, scope.Zone.Id, t.Weeks, t.TargetSeconds, t.TargetShare, Math.Round(handling, 1), concurrency, rows), null);
    }

    /// <summary>The middle of each hour of the coming week (Monday 00:00 local first), as instants: where shifts are checked.</summary>
    private static DateTimeOffset[] NextWeek(DateTime now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(now, zone).Date;
        var monday = local.AddDays(-(((int)local.DayOfWeek + 6) % 7)).AddDays(7);
        return [.. Enumerable.Range(0, 168).Select(i =>
        {
            var wall = monday.AddHours(i).AddMinutes(30);
            // A wall time skipped by a daylight-saving jump has no instant: an hour later is the same hour's shift.
            return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(zone.IsInvalidTime(wall) ? wall.AddHours(1) : wall, zone), TimeSpan.Zero);
        })];
    }

    private static async Task<double> MeanCapacityAsync(KefuDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var capacities = await db.AgentProfiles.AsNoTracking().Where(p => p.TenantId == tenantId).Select(p => p.Capacity).ToListAsync(cancellationToken);
        return capacities.Count == 0 ? AgentProfile.DefaultCapacity : Math.Max(1, Math.Round(capacities.Average(), 1));
    }

    /// <summary>The shifts of active agents who have set any (an agent without shifts is not "scheduled" at every hour).</summary>
    private static async Task<List<WeeklyHours>> ShiftsAsync(KefuDbContext db, Guid tenantId, DateTime now, CancellationToken cancellationToken)
    {
        // Deactivation is a lockout; SQLite cannot compare DateTimeOffset in SQL, so the (few) agents with shifts are filtered here.
        var rows = await db.AgentProfiles.AsNoTracking().Where(p => p.TenantId == tenantId && p.Shifts != "")
            .Join(db.Users.Where(u => u.TenantId == tenantId), p => p.UserId, u => u.Id, (p, u) => new { p.Shifts, p.ShiftTimeZone, u.LockoutEnd })
            .ToListAsync(cancellationToken);
        rows.RemoveAll(r => r.LockoutEnd is { } end && end.UtcDateTime > now);
        return [.. rows.Select(r => WeeklyHours.Parse(r.Shifts, r.ShiftTimeZone, "")).Where(w => !w.AlwaysOpen)];
    }
}

/// <summary>The forecast's own parameters as the query spells them; <see cref="Parse"/> checks their ranges.</summary>
/// <param name="Weeks">Weeks to average, 1–8 (default 4).</param>
/// <param name="TargetSeconds">Target wait, 5–3600 seconds (default 60).</param>
/// <param name="TargetShare">Share answered within it, 0.5–0.99 (default 0.8).</param>
/// <param name="Concurrency">Conversations per agent at once, 1–20 (default the workspace's mean agent capacity).</param>
internal sealed record StaffingTarget(string? Weeks, string? TargetSeconds, string? TargetShare, string? Concurrency)
{
    public (int Weeks, int TargetSeconds, double TargetShare, double? Concurrency)? Parse()
    {
        if (InvalidField() is not null)
        {
            return null;
        }

        return (Weeks is null ? 4 : Int(Weeks)!.Value, TargetSeconds is null ? 60 : Int(TargetSeconds)!.Value,
            TargetShare is null ? 0.8 : Real(TargetShare)!.Value, Concurrency is null ? null : Real(Concurrency));
    }

    /// <summary>The first parameter out of its range, or null.</summary>
    public string? InvalidField() =>
        Weeks is not null && Int(Weeks) is not (>= 1 and <= 8) ? "weeks"
        : TargetSeconds is not null && Int(TargetSeconds) is not (>= 5 and <= 3600) ? "targetSeconds"
        : TargetShare is not null && Real(TargetShare) is not (>= 0.5 and <= 0.99) ? "targetShare"
        : Concurrency is not null && Real(Concurrency) is not (>= 1 and <= 20) ? "concurrency"
        : null;

    private static int? Int(string value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static double? Real(string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
}
