using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>One audit entry as readers see it.</summary>
/// <param name="Id">Increasing id; the paging cursor.</param>
/// <param name="OccurredAt">When, UTC.</param>
/// <param name="ActorId">Who acted; null for the system.</param>
/// <param name="ActorName">Their display name at the time.</param>
/// <param name="Action">What happened (<c>resource.action</c>).</param>
/// <param name="TargetType">The kind of object acted on.</param>
/// <param name="TargetId">Its id.</param>
/// <param name="Detail">Setting names, counts.</param>
/// <param name="Outcome">Succeeded, failed or denied.</param>
/// <param name="ClientIp">The address the request came from.</param>
public sealed record AuditEntryDto(long Id, DateTime OccurredAt, Guid? ActorId, string? ActorName, string Action, string? TargetType,
    string? TargetId, string? Detail, AuditOutcome Outcome, string? ClientIp);

/// <summary>A page of entries, newest first.</summary>
/// <param name="Items">The entries.</param>
/// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null when this is the last.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, long? NextBefore);

/// <summary>
/// <c>GET /api/v1/audit</c> (permission Audit): the workspace's audit entries, newest first, filtered
/// (<see cref="AuditFilterInput"/>), in pages of <c>limit</c> (1–200, 50) after the <c>before</c> cursor.
/// </summary>
internal sealed class ListAuditEntries(IDbContextFactory<KefuDbContext> dbFactory)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit", async Task<Results<Ok<AuditPage>, ProblemHttpResult>> (
                [AsParameters] AuditListParameters p, HttpContext http, ListAuditEntries handler, TimeProvider time, CancellationToken ct) =>
            {
                var (filter, error) = AuditFilter.Parse(p.Filter, time.GetUtcNow().UtcDateTime);
                if (error is null && (p.Before is < 1 || p.Limit is < 1 or > MaxLimit))
                {
                    error = new KefuError("invalid_audit_filter", "before must be an entry id, and limit between 1 and 200.");
                }

                return error is not null
                    ? KefuProblems.Problem(error)
                    : TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, filter!, p.Before, p.Limit ?? DefaultLimit, ct));
            })
            .WithName("ListAuditEntries")
            .WithTags("Audit")
            .RequireAuthorization(AccessPolicies.For(Permission.Audit));

    public async Task<AuditPage> HandleAsync(Guid tenantId, AuditFilter filter, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await Page(db, tenantId, filter, before, limit + 1, cancellationToken);
        return page.Count > limit ? new AuditPage(page[..limit], page[limit - 1].Id) : new AuditPage(page, null);
    }

    /// <summary>The workspace's people, by name, for the console's actor filter.</summary>
    public async Task<IReadOnlyList<AuditActor>> ActorsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.TenantId == tenantId).OrderBy(u => u.DisplayName).Select(u => new AuditActor(u.Id, u.DisplayName))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="count"/> entries older than the entry <paramref name="before"/>, newest first. Ordered by
    /// time, then id, so the (TenantId, [Action,] OccurredAt) indexes serve the order; the cursor is an id, whose time
    /// is looked up. An id that is not the workspace's (or was pruned) gives nothing.
    /// </summary>
    internal static async Task<List<AuditEntryDto>> Page(KefuDbContext db, Guid tenantId, AuditFilter filter, long? before, int count,
        CancellationToken cancellationToken)
    {
        var query = filter.Apply(db.AuditEntries.AsNoTracking(), tenantId);
        if (before is { } id)
        {
            var at = await db.AuditEntries.Where(e => e.Id == id && e.TenantId == tenantId).Select(e => (DateTime?)e.OccurredAt)
                .FirstOrDefaultAsync(cancellationToken);
            if (at is not { } cursor)
            {
                return [];
            }

            query = query.Where(e => e.OccurredAt < cursor || e.OccurredAt == cursor && e.Id < id);
        }

        return await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(count)
            .Select(e => new AuditEntryDto(e.Id, e.OccurredAt, e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId, e.Detail, e.Outcome, e.ClientIp))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>A person who may appear as an actor.</summary>
internal sealed record AuditActor(Guid Id, string Name);

/// <summary>The query string of <c>GET /api/v1/audit</c>.</summary>
internal sealed record AuditListParameters(
    string? From, string? To, string? Action, string? ActorId, string? TargetType, string? TargetId, string? Outcome, long? Before, int? Limit)
{
    public AuditFilterInput Filter => new(From, To, Action, ActorId, TargetType, TargetId, Outcome);
}
