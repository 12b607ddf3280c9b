using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.ApiKeys;

/// <summary><c>GET /api/v1/api-keys?cursor=&amp;pageSize=</c>: the workspace's keys, newest first, revoked ones included.</summary>
internal sealed class ListApiKeys(IDbContextFactory<KefuDbContext> dbs, IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/api-keys", async Task<Results<Ok<ApiKeyPage>, ProblemHttpResult>> (HttpContext http, ListApiKeys handler, CancellationToken ct, string? cursor = null, int pageSize = Paging.DefaultPageSize) =>
            {
                var (page, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, cursor, pageSize, ct);
                return error is null ? TypedResults.Ok(page!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("ListApiKeys")
            .WithTags("ApiKeys");

    public async Task<(ApiKeyPage?, KefuError?)> HandleAsync(AgentIdentity caller, string? cursor, int pageSize, CancellationToken ct)
    {
        if (await access.ForAsync(caller, ct) is not { } mine || !mine.Has(Permission.Settings))
        {
            return (null, ApiKeyErrors.Forbidden);
        }

        if (Paging.Check(pageSize) is { } invalidSize)
        {
            return (null, invalidSize);
        }

        if (!Paging.TryReadCursor(cursor, out var after))
        {
            return (null, Paging.InvalidCursor);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.Set<ApiKey>().AsNoTracking().Where(k => k.TenantId == caller.TenantId);
        if (after is { } position)
        {
            query = query.Where(k => k.CreatedAt < position.At || (k.CreatedAt == position.At && k.Id.CompareTo(position.Id) < 0));
        }

        var rows = await query.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).Take(pageSize + 1).ToListAsync(ct);
        var items = rows.Take(pageSize).Select(ToDto).ToList();
        return (new ApiKeyPage(items, rows.Count > pageSize ? Paging.Cursor(rows[pageSize - 1].CreatedAt, rows[pageSize - 1].Id) : null), null);
    }

    public static ApiKeyDto ToDto(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, k.Access, ApiKeyScopes.Names(k.Permissions), k.CreatedById, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
