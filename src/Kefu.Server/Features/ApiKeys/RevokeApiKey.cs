using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>
/// <c>DELETE /api/v1/api-keys/{id}</c>: the key stops at its next request on every node (keys are looked up per
/// request, never cached). Revoking a revoked key changes nothing; another workspace's key is not found.
/// </summary>
internal sealed class RevokeApiKey(IDbContextFactory<KefuDbContext> dbs, TimeProvider time, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/api-keys/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, RevokeApiKey handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("RevokeApiKey")
            .WithTags("ApiKeys");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (caller.PermissionCap is not null)
        {
            return ApiKeyErrors.PeopleOnly;
        }

        if (await access.ForAsync(caller, ct) is not { } mine || !mine.Has(Permission.Settings))
        {
            return ApiKeyErrors.Forbidden;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Id == id && k.TenantId == caller.TenantId, ct);
        if (key is null)
        {
            return ApiKeyErrors.NotFound;
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow().UtcDateTime;
            key.RevokedById = caller.UserId;
            audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "api_key", key.Id.ToString(), "revoked").By(caller));
            await db.SaveChangesAsync(ct);
        }

        return null;
    }
}
