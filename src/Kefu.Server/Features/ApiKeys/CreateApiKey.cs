using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>
/// <c>POST /api/v1/api-keys</c>: an admin (settings permission, signed in as a person) creates a key within their own
/// permissions. The answer holds the key once; only its hash is stored. Retrying with an <c>Idempotency-Key</c> is
/// not replayed (the answer's secret is never stored): a retry makes a second key, to be revoked.
/// </summary>
internal sealed class CreateApiKey(IDbContextFactory<KefuDbContext> dbs, TimeProvider time, IAccessControl access, IAuditLog audit, IOptions<ApiKeyOptions> options)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/api-keys", async Task<Results<Created<CreatedApiKeyDto>, ProblemHttpResult>> (CreateApiKeyRequest request, HttpContext http, CreateApiKey handler, CancellationToken ct) =>
            {
                var (key, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Created($"/api/v1/api-keys/{key!.ApiKey.Id}", key) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithMetadata(new Idempotency.NotReplayed())
            .WithName("CreateApiKey")
            .WithTags("ApiKeys");

    public async Task<(CreatedApiKeyDto?, KefuError?)> HandleAsync(AgentIdentity caller, CreateApiKeyRequest request, CancellationToken ct)
    {
        if (caller.PermissionCap is not null)
        {
            return (null, ApiKeyErrors.PeopleOnly);
        }

        if (await access.ForAsync(caller, ct) is not { } mine || !mine.Has(Permission.Settings))
        {
            return (null, ApiKeyErrors.Forbidden);
        }

        var name = SafeText.SingleLine(request.Name);
        if (name.Length is 0 or > 100)
        {
            return (null, ApiKeyErrors.NameInvalid);
        }

        if (ApiKeyScopes.ParseAccess(request.Access) is not { } level)
        {
            return (null, ApiKeyErrors.AccessInvalid);
        }

        var (permissions, invalid) = ApiKeyScopes.Validate(level, request.Permissions, mine.Permissions);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Set<ApiKey>().CountAsync(k => k.TenantId == caller.TenantId && k.RevokedAt == null, ct) >= options.Value.MaxKeysPerWorkspace)
        {
            return (null, new KefuError("api_key_limit_reached", $"A workspace holds at most {options.Value.MaxKeysPerWorkspace} keys: revoke one first."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (secret, hash) = ApiKeyStore.NewKey();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = name, Prefix = ApiKeyStore.DisplayPrefix(secret), Hash = hash,
            Access = level, Permissions = permissions, CreatedById = caller.UserId, CreatedAt = now,
        };
        db.Add(key);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "api_key", key.Id.ToString(),
            $"created; access {level.ToString().ToLowerInvariant()}; permissions {string.Join(',', ApiKeyScopes.Names(permissions))}").By(caller));
        await db.SaveChangesAsync(ct);
        return (new CreatedApiKeyDto(ListApiKeys.ToDto(key), secret), null);
    }
}
