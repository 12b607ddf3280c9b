using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>A workspace's provider as the sign-in page offers it.</summary>
/// <param name="TenantId">The workspace.</param>
/// <param name="DisplayName">The provider's name on the button.</param>
internal sealed record SsoOffer(Guid TenantId, string DisplayName);

/// <summary>Finds the provider the sign-in page offers: by the workspace's sign-in address, or by an e-mail's domain.</summary>
internal sealed class SsoDirectory(IDbContextFactory<KefuDbContext> dbFactory)
{
    public async Task<SsoOffer?> ForWorkspaceAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<SsoSettings>().AsNoTracking().Where(s => s.TenantId == tenantId && s.Enabled)
            .Select(s => new SsoOffer(s.TenantId, s.DisplayName)).FirstOrDefaultAsync(ct);
    }

    /// <summary>The enabled workspace whose e-mail domains include the e-mail's (domains are unique across workspaces).</summary>
    public async Task<SsoOffer?> ForEmailAsync(string email, CancellationToken ct)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
        {
            return null;
        }

        var domain = email[(at + 1)..].Trim().ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Narrowed in SQL, decided exactly here: "example.com" must not match "myexample.com".
        var candidates = await db.Set<SsoSettings>().AsNoTracking().Where(s => s.Enabled && s.EmailDomains.Contains(domain)).ToListAsync(ct);
        return candidates.Where(s => s.DomainList().Contains(domain, StringComparer.OrdinalIgnoreCase))
            .Select(s => new SsoOffer(s.TenantId, s.DisplayName)).FirstOrDefault();
    }

    /// <summary>Whether the workspace refuses password sign-in to its non-admin agents.</summary>
    public async Task<bool> EnforcedAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<SsoSettings>().AnyAsync(s => s.TenantId == tenantId && s.Enabled && s.EnforceSso, ct);
    }
}
