using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>A console user with their access, as people managers see them in the list.</summary>
/// <param name="Id">User id.</param>
/// <param name="Email">Sign-in e-mail.</param>
/// <param name="DisplayName">Name shown to visitors.</param>
/// <param name="Role"><c>agent</c>, <c>supervisor</c>, <c>admin</c> or a custom role's id.</param>
/// <param name="Inboxes">Inboxes they are limited to; empty for all.</param>
/// <param name="Active">False once deactivated.</param>
/// <param name="Status"><c>active</c>, <c>invited</c> or <c>deactivated</c>.</param>
/// <param name="Teams">Teams they belong to.</param>
/// <param name="Presence">The presence they chose; <c>offline</c> when no connection is open.</param>
/// <param name="LastSignInAt">When their latest session started, if ever.</param>
public sealed record AgentAccessDto(
    Guid Id, string Email, string DisplayName, string Role, IReadOnlyList<Guid> Inboxes, bool Active,
    string Status, IReadOnlyList<Guid> Teams, PresenceState Presence, DateTimeOffset? LastSignInAt);

/// <summary>
/// <c>GET /api/v1/agents?search=</c>: the workspace's people with their roles, inbox limits, teams, presence and last
/// sign-in; <c>search</c> matches a part of the name or e-mail. A workspace has tens or hundreds of people, not
/// millions: the list comes whole and clients page it.
/// </summary>
internal sealed class ListAgents(IDbContextFactory<KefuDbContext> dbs, IAgentPresence presence)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/agents", async Task<Ok<IReadOnlyList<AgentAccessDto>>> (string? search, HttpContext http, ListAgents handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, search, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("ListAgents")
            .WithTags("Agents");

    public async Task<IReadOnlyList<AgentAccessDto>> HandleAsync(Guid tenantId, string? search, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId).OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Role, u.CustomRoleId, u.LockoutEnd, HasPassword = u.PasswordHash != null }).ToListAsync(ct);
        var term = search?.Trim() ?? "";
        if (term.Length > 0)
        {
            users.RemoveAll(u => !u.DisplayName.Contains(term, StringComparison.CurrentCultureIgnoreCase) &&
                                 !(u.Email ?? "").Contains(term, StringComparison.OrdinalIgnoreCase));
        }

        var inboxes = (await db.AgentInboxAccess.AsNoTracking().Where(a => a.TenantId == tenantId).ToListAsync(ct)).ToLookup(a => a.UserId, a => a.InboxId);
        var teams = (await db.TeamMembers.AsNoTracking().Where(m => db.Teams.Any(t => t.Id == m.TeamId && t.TenantId == tenantId)).ToListAsync(ct))
            .ToLookup(m => m.UserId, m => m.TeamId);
        var chosen = await db.AgentProfiles.AsNoTracking().Where(p => p.TenantId == tenantId).ToDictionaryAsync(p => p.UserId, p => p.Presence, ct);
        var lastSignIn = await db.AgentSessions.AsNoTracking().Where(s => s.TenantId == tenantId).GroupBy(s => s.UserId)
            .Select(g => new { g.Key, At = g.Max(s => s.CreatedAt) }).ToDictionaryAsync(g => g.Key, g => g.At, ct);
        return users.ConvertAll(u =>
        {
            DateTime? signedIn = lastSignIn.TryGetValue(u.Id, out var at) ? at : null;
            var status = PeopleStatus.Of(u.LockoutEnd, u.HasPassword ? "set" : null, signedIn);
            return new AgentAccessDto(u.Id, u.Email ?? "", u.DisplayName, u.CustomRoleId?.ToString() ?? u.Role.ToString().ToLowerInvariant(),
                [.. inboxes[u.Id]], status != PeopleStatus.Deactivated, status, [.. teams[u.Id]],
                presence.IsConnected(u.Id) ? chosen.GetValueOrDefault(u.Id, PresenceState.Online) : PresenceState.Offline,
                signedIn is { } s ? new DateTimeOffset(s, TimeSpan.Zero) : null);
        });
    }
}
