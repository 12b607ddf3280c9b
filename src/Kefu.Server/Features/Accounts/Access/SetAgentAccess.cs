using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>An agent's role and inbox limits.</summary>
/// <param name="Role"><c>agent</c>, <c>supervisor</c>, <c>admin</c> or a custom role's id.</param>
/// <param name="Inboxes">The inboxes they may use; null or empty for all.</param>
public sealed record AgentAccessRequest(string? Role, IReadOnlyList<Guid>? Inboxes);

/// <summary>
/// <c>PUT /api/v1/agents/{id}/access</c>: gives an agent a role and limits them to inboxes. Nobody grants more than
/// they hold or changes someone who holds more; the workspace keeps one active agent with every permission.
/// Takes effect within seconds: the agent's hub connections are closed so they rejoin with the new scope. Audited.
/// </summary>
internal sealed class SetAgentAccess(IDbContextFactory<KefuDbContext> dbs, IAccessControl access, IAuditLog audit, AgentConnections connections)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/agents/{id:guid}/access", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, AgentAccessRequest request, HttpContext http, SetAgentAccess handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("SetAgentAccess")
            .WithTags("Access");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid agentId, AgentAccessRequest request, CancellationToken ct)
    {
        var workspace = await access.GetWorkspaceAsync(caller.TenantId, agentId, ct);
        if (workspace.For(caller) is not { } mine || !mine.Has(Permission.People))
        {
            return AccessErrors.BeyondOwn;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == agentId && u.TenantId == caller.TenantId, ct);
        if (user is null)
        {
            return AccessErrors.AgentNotFound;
        }

        if (await Roles.ResolveAsync(db, caller.TenantId, request.Role, ct) is not { } role)
        {
            return AccessErrors.Invalid("role must be agent, supervisor, admin or the id of a custom role of this workspace.") with { Field = "role" };
        }

        var inboxes = request.Inboxes?.Distinct().ToList() ?? [];
        if (inboxes.Count > 0 && await db.Inboxes.CountAsync(i => i.TenantId == caller.TenantId && inboxes.Contains(i.Id), ct) != inboxes.Count)
        {
            return AccessErrors.Invalid("inboxes must be inboxes of this workspace.") with { Field = "inboxes" };
        }

        var current = workspace.For(agentId)?.Permissions
            ?? (user.CustomRoleId is { } c ? (await db.CustomRoles.FindAsync([c], ct))?.Permissions ?? Permission.None : BuiltInRoles.Of(user.Role));
        if (!Roles.Within(current, mine.Permissions) || !Roles.Within(role.Permissions, mine.Permissions))
        {
            return AccessErrors.BeyondOwn with { Field = "role" };
        }

        if (current == BuiltInRoles.Admin && role.Permissions != BuiltInRoles.Admin &&
            workspace.Agents.Count(a => a.Permissions == BuiltInRoles.Admin) <= 1)
        {
            return AccessErrors.LastAdmin with { Field = "role" };
        }

        var previousRole = user.CustomRoleId?.ToString() ?? user.Role.ToString().ToLowerInvariant();
        var newRole = role.Custom?.ToString() ?? role.BuiltIn.ToString().ToLowerInvariant();
        user.Role = role.BuiltIn;
        user.CustomRoleId = role.Custom;
        var existing = await db.AgentInboxAccess.Where(a => a.UserId == agentId).ToListAsync(ct);
        db.AgentInboxAccess.RemoveRange(existing.Where(a => !inboxes.Contains(a.InboxId)));
        db.AgentInboxAccess.AddRange(inboxes.Where(i => existing.All(a => a.InboxId != i))
            .Select(i => new AgentInboxAccess { UserId = agentId, InboxId = i, TenantId = caller.TenantId }));

        if (previousRole != newRole)
        {
            audit.Add(db, new AuditRecord(AuditActions.AgentRoleChanged, "agent", agentId.ToString(), $"role: {previousRole} -> {newRole}").By(caller));
        }

        if (!existing.Select(a => a.InboxId).ToHashSet().SetEquals(inboxes))
        {
            audit.Add(db, new AuditRecord(AuditActions.AgentScopeChanged, "agent", agentId.ToString(),
                inboxes.Count == 0 ? "inboxes: all" : "inboxes: " + string.Join(' ', inboxes)).By(caller));
        }

        await db.SaveChangesAsync(ct);
        access.Invalidate(caller.TenantId);
        // Hub connections joined groups for the old scope at connect: end them, the client reconnects into the new one.
        connections.CloseEverywhere(agentId);
        return null;
    }
}
