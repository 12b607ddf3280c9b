using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>A key as a request sees it: its scopes and its creator.</summary>
internal sealed record ResolvedApiKey(Guid Id, Guid TenantId, ApiKeyAccess Access, Permission Permissions, Guid CreatedById, string CreatorName, AgentRole CreatorRole);

/// <summary>
/// Makes keys and finds them by hash. A key is 32 random bytes (256 bits): a plain SHA-256 is enough to store it, as
/// no dictionary or brute force can reach such a secret, and it keeps the per-request lookup one index seek
/// (a slow password hash would cost every request tens of milliseconds). No cache: a revoked key is refused by its
/// next request on every node.
/// </summary>
internal sealed class ApiKeyStore(IDbContextFactory<KefuDbContext> dbs, TimeProvider time)
{
    /// <summary>How often the last-used time is written at most, per key: not a write per request.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <summary>Longest header value worth hashing; anything longer is not a key.</summary>
    private const int MaxKeyLength = 100;

    /// <summary>A new secret key and its SHA-256 (hex).</summary>
    public static (string Key, string Hash) NewKey()
    {
        var key = Contracts.ApiKeyFormat.Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (key, Hash(key));
    }

    /// <summary>The part of a key shown in lists: the prefix and eight characters.</summary>
    public static string DisplayPrefix(string key) => key[..(Contracts.ApiKeyFormat.Prefix.Length + 8)];

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key's scopes and creator; null when unknown, revoked, or its creator is deactivated.</summary>
    public async Task<ResolvedApiKey?> FindAsync(string key, CancellationToken ct)
    {
        if (key.Length > MaxKeyLength || !key.StartsWith(Contracts.ApiKeyFormat.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = Hash(key);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.Set<ApiKey>().AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Join(db.Users, k => k.CreatedById, u => u.Id, (k, u) => new
            {
                k.Id, k.TenantId, k.Access, k.Permissions, k.CreatedById, k.LastUsedAt, u.DisplayName, u.Role, u.LockoutEnd, UserTenant = u.TenantId,
            })
            .FirstOrDefaultAsync(ct);
        // Deactivated agents are locked out with no end; their keys stop with them.
        if (row is null || row.UserTenant != row.TenantId || row.LockoutEnd == DateTimeOffset.MaxValue)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (row.LastUsedAt is not { } last || now - last >= LastUsedPrecision)
        {
            // Conditional, so concurrent requests on several nodes write it once; at most once a minute per key.
            var before = now - LastUsedPrecision;
            await db.Set<ApiKey>().Where(k => k.Id == row.Id && (k.LastUsedAt == null || k.LastUsedAt <= before))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }

        return new ResolvedApiKey(row.Id, row.TenantId, row.Access, row.Permissions, row.CreatedById, row.DisplayName, row.Role);
    }
}
