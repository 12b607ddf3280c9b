using System.Net.Http.Headers;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>A workspace of its own with one signed-in user, so a test sees only the audit entries it made.</summary>
internal sealed record AuditWorkspace(Guid TenantId, Guid UserId, string Email, string Name, HttpClient Http) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

/// <summary>Builders for audit tests: workspaces, users and entries written straight to the table as test data.</summary>
internal static class AuditRig
{
    /// <summary>A new workspace and a user of <paramref name="role"/> in it, signed in with a bearer token.</summary>
    public static async Task<AuditWorkspace> NewWorkspaceAsync(this KefuFactory server, AgentRole role = AgentRole.Admin)
    {
        var now = DateTime.UtcNow;
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = "Audit " + Guid.NewGuid().ToString("N")[..8], CreatedAt = now };
        await server.WithDbAsync(db =>
        {
            db.Tenants.Add(tenant);
            return db.SaveChangesAsync();
        });
        var (id, email, name) = await server.NewUserAsync(tenant.Id, role);
        var http = await server.AgentHttpAsync(await server.AgentTokenAsync(email, KefuFactory.AdminPassword));
        return new AuditWorkspace(tenant.Id, id, email, name, http);
    }

    /// <summary>A user of <paramref name="role"/> in <paramref name="tenantId"/> (password as the admin's).</summary>
    public static async Task<(Guid Id, string Email, string Name)> NewUserAsync(this KefuFactory server, Guid tenantId, AgentRole role)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = new AgentUser
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, UserName = $"audit-{suffix}@audit.test", Email = $"audit-{suffix}@audit.test",
            DisplayName = "Auditor " + suffix, Role = role, CreatedAt = DateTime.UtcNow,
        };
        Assert.True((await users.CreateAsync(user, KefuFactory.AdminPassword)).Succeeded);
        return (user.Id, user.Email, user.DisplayName);
    }

    public static async Task<HttpClient> BearerAsync(this KefuFactory server, string email)
    {
        var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.AgentTokenAsync(email, KefuFactory.AdminPassword));
        return http;
    }

    public static AuditEntry Entry(Guid? tenantId, DateTime at, string action = AuditActions.SettingChanged, Guid? actorId = null,
        string? targetType = null, string? targetId = null, AuditOutcome outcome = AuditOutcome.Succeeded, string? detail = null, string? actorName = null) =>
        new()
        {
            TenantId = tenantId, OccurredAt = at, Action = action, ActorId = actorId, ActorName = actorName, TargetType = targetType,
            TargetId = targetId, Outcome = outcome, Detail = detail, ClientIp = "10.0.0.1",
        };

    /// <summary>Writes entries as test data, in the order given (ids increase in that order).</summary>
    public static async Task<long[]> SeedAsync(this KefuFactory server, params AuditEntry[] entries)
    {
        await server.WithDbAsync(db =>
        {
            db.AuditEntries.AddRange(entries);
            return db.SaveChangesAsync();
        });
        return [.. entries.Select(e => e.Id)];
    }

    /// <summary>The entries of <paramref name="action"/> about <paramref name="targetId"/>, as stored.</summary>
    public static Task<List<AuditEntry>> EntriesAsync(this KefuFactory server, string action, string? targetId = null) =>
        server.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == action && (targetId == null || e.TargetId == targetId))
            .OrderBy(e => e.Id).ToListAsync());
}
