using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>A console user with their access, as people managers see them.</summary>
/// <param name="Id">User id.</param>
/// <param name="Email">Sign-in e-mail.</param>
/// <param name="DisplayName">Name shown to visitors.</param>
/// <param name="Role"><c>agent</c>, <c>supervisor</c>, <c>admin</c> or a custom role's id.</param>
/// <param name="Inboxes">Inboxes they are limited to; empty for all.</param>
/// <param name="Active">False once deactivated.</param>
public sealed record AgentAccessDto(Guid Id, string Email, string DisplayName, string Role, IReadOnlyList<Guid> Inboxes, bool Active);

/// <summary><c>GET /api/v1/agents</c>: the workspace's people with their roles and inbox limits.</summary>
internal sealed class ListAgents(IDbContextFactory<KefuDbContext> dbs)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/agents", async Task<Ok<IReadOnlyList<AgentAccessDto>>> (HttpContext http, ListAgents handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("ListAgents")
            .WithTags("Agents");

    public async Task<IReadOnlyList<AgentAccessDto>> HandleAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId).OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Role, u.CustomRoleId, u.LockoutEnd }).ToListAsync(ct);
        var inboxes = (await db.AgentInboxAccess.AsNoTracking().Where(a => a.TenantId == tenantId).ToListAsync(ct)).ToLookup(a => a.UserId, a => a.InboxId);
        return users.ConvertAll(u => new AgentAccessDto(u.Id, u.Email ?? "", u.DisplayName,
            u.CustomRoleId?.ToString() ?? u.Role.ToString().ToLowerInvariant(), [.. inboxes[u.Id]], u.LockoutEnd != DateTimeOffset.MaxValue));
    }
}
