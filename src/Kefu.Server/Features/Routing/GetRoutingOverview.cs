using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// <c>GET /api/v1/routing/overview</c>: live queues per team (waiting, longest wait), agents (state, load against
/// capacity, shift) and the line in serving order. <c>GET /api/v1/routing/stats</c>: the router's counters.
/// Supervisors and admins only.
/// </summary>
internal sealed class GetRoutingOverview(IDbContextFactory<KefuDbContext> dbFactory, RoutingAgents agents, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/routing/overview", async Task<Ok<RoutingOverview>> (HttpContext http, GetRoutingOverview handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Supervise))
            .WithName("GetRoutingOverview")
            .WithTags("Routing");
        api.MapGet("/routing/stats", async Task<Results<Ok<RoutingStatsDto>, NotFound>> (
                RoutingStats stats, ISharedState shared, IOptions<RoutingOptions> options) =>
                !options.Value.ExposeStats ? TypedResults.NotFound()
                // The router runs on the lease holder, which may be another node: its stats are shared.
                : TypedResults.Ok(await shared.GetAsync(Router.StatsKey) is { } json
                    ? System.Text.Json.JsonSerializer.Deserialize<RoutingStatsDto>(json)!
                    : stats.Snapshot()))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetRoutingStats")
            .WithTags("Routing");
    }

    public async Task<RoutingOverview> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = (await agents.LoadAsync(db, tenantId, cancellationToken)).ToDictionary(c => c.UserId);
        var people = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken);
        var shifts = await db.AgentProfiles.AsNoTracking().Where(p => p.TenantId == tenantId)
            .ToDictionaryAsync(p => p.UserId, p => WeeklyHours.Parse(p.Shifts, p.ShiftTimeZone, ""), cancellationToken);
        var teams = await db.Teams.AsNoTracking().Where(t => t.TenantId == tenantId).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var entries = await db.QueueEntries.AsNoTracking().Where(q => q.TenantId == tenantId).ToListAsync(cancellationToken);

        var details = await WaitingDetails.LoadAsync(db, [.. entries.Select(e => e.ConversationId)], cancellationToken);
        WaitingItem Item(QueueEntry e, int position) => details.Describe(
            new WaitingItem(e.ConversationId, position, e.State, Seconds(now.UtcDateTime - e.EnqueuedAt), e.Rank, e.TeamId, e.OfferedTo), e);
        var line = entries.Where(e => e.State != QueueState.LeftMessage)
            .OrderByDescending(e => e.Rank).ThenBy(e => e.EnqueuedAt).ThenBy(e => e.ConversationId)
            .Select((e, i) => Item(e, i + 1))
            .ToList();
        var left = entries.Where(e => e.State == QueueState.LeftMessage).OrderBy(e => e.EnqueuedAt).Select(e => Item(e, 0)).ToList();
        var queues = entries.GroupBy(e => e.TeamId).Select(g => new QueueSummary(
                g.Key, g.Key is { } t ? teams.GetValueOrDefault(t) : null,
                g.Count(e => e.State != QueueState.LeftMessage),
                g.Where(e => e.State != QueueState.LeftMessage).Select(e => Seconds(now.UtcDateTime - e.EnqueuedAt)).DefaultIfEmpty(0).Max(),
                g.Count(e => e.State == QueueState.LeftMessage)))
            .ToList();
        var statuses = people.Where(p => candidates.ContainsKey(p.Id)).Select(p =>
            {
                var c = candidates[p.Id];
                var shift = shifts.GetValueOrDefault(p.Id) ?? WeeklyHours.Parse("", "UTC", "");
                var onShift = shift.IsOpen(now);
                // Gone past the grace period counts as offline, whatever state they chose by hand.
                return new AgentStatus(p.Id, p.DisplayName, c.Connected ? c.Presence : Agents.Contracts.PresenceState.Offline, c.Connected, c.Load, c.Capacity, c.Skills.ToString(), [.. c.Teams],
                    onShift, onShift ? null : shift.NextOpening(now));
            })
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        return new RoutingOverview(queues, statuses, line, left);
    }

    private static int Seconds(TimeSpan span) => (int)Math.Max(0, span.TotalSeconds);
}
