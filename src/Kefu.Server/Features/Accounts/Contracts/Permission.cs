using System.Security.Claims;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>
/// What a console user may do. A role is a set of these; the built-in roles (agent, supervisor, admin) are
/// fixed sets and a workspace can define its own. Checked by one authorization policy per permission
/// (<see cref="AccessPolicies.For"/>) on REST endpoints and by <see cref="IAccessControl"/> in hubs and pages.
/// </summary>
[Flags]
public enum Permission : long
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>See and work the conversations assigned to oneself (and offers made to oneself).</summary>
    ConversationsAssigned = 1 << 0,

    /// <summary>Also see the conversations of one's teams: assigned to a teammate or waiting for the team.</summary>
    ConversationsTeam = 1 << 1,

    /// <summary>See every conversation of the inboxes one may use.</summary>
    ConversationsAll = 1 << 2,

    /// <summary>Watch queues, reassign and transfer others' conversations, act in any visible conversation.</summary>
    Supervise = 1 << 3,

    /// <summary>See and edit contacts (profile, tags).</summary>
    Contacts = 1 << 4,

    /// <summary>Export a contact's data (data subject request).</summary>
    ContactsExport = 1 << 5,

    /// <summary>See reports and analytics.</summary>
    Reports = 1 << 6,

    /// <summary>Write and publish knowledge-base articles.</summary>
    Knowledge = 1 << 7,

    /// <summary>Configure the workspace: inboxes, channels, routing, bot, widget, security settings.</summary>
    Settings = 1 << 8,

    /// <summary>Manage people: agents, teams, roles, skills, shifts, deactivation.</summary>
    People = 1 << 9,

    /// <summary>Read and export the audit log.</summary>
    Audit = 1 << 10,

    /// <summary>Reveal masked personal data (each reveal is audited).</summary>
    UnmaskPersonalData = 1 << 11,

    /// <summary>Retention settings and erasure of a contact's data.</summary>
    Privacy = 1 << 12,

    /// <summary>See and work tickets: create, reply, change fields and status, merge, link, bulk actions.</summary>
    Tickets = 1 << 13,
}

/// <summary>The authorization policy names of <see cref="Permission"/>s, for <c>RequireAuthorization</c>.</summary>
public static class AccessPolicies
{
    /// <summary>Prefix of every permission policy name.</summary>
    public const string Prefix = "kefu.permission:";

    /// <summary>The policy that requires <paramref name="permission"/> (one flag).</summary>
    public static string For(Permission permission) => Prefix + permission;
}

/// <summary>Where a user may look for conversations, from the widest conversation permission of their role.</summary>
public enum ConversationScope
{
    /// <summary>No conversation at all.</summary>
    None,

    /// <summary>Only those assigned or offered to the user.</summary>
    Assigned,

    /// <summary>Those of the user's teams, and their own.</summary>
    Team,

    /// <summary>All of the inboxes the user may use.</summary>
    All,
}

/// <summary>What one signed-in user may do now: their role's permissions and the inboxes and teams they are limited to.</summary>
/// <param name="UserId">The user.</param>
/// <param name="TenantId">Their workspace.</param>
/// <param name="Permissions">Their role's permissions.</param>
/// <param name="Inboxes">The inboxes they may use; null when not limited.</param>
/// <param name="Teams">The teams they belong to.</param>
public sealed record AgentAccess(Guid UserId, Guid TenantId, Permission Permissions, IReadOnlySet<Guid>? Inboxes, IReadOnlySet<Guid> Teams)
{
    /// <summary>True when the role grants <paramref name="permission"/> (every flag of it).</summary>
    public bool Has(Permission permission) => permission != Permission.None && (Permissions & permission) == permission;

    /// <summary>The widest conversation scope granted.</summary>
    public ConversationScope Scope =>
        Has(Permission.ConversationsAll) ? ConversationScope.All
        : Has(Permission.ConversationsTeam) ? ConversationScope.Team
        : Has(Permission.ConversationsAssigned) ? ConversationScope.Assigned
        : ConversationScope.None;

    /// <summary>True when the user may use <paramref name="inboxId"/>.</summary>
    public bool MayUseInbox(Guid inboxId) => Inboxes is null || Inboxes.Contains(inboxId);

    /// <summary>True when the user sees every conversation of the workspace: the common case, which needs no per-conversation check.</summary>
    public bool SeesEverything => Inboxes is null && Scope == ConversationScope.All;

    /// <summary>
    /// Whether the user may see a conversation of <paramref name="inboxId"/> assigned to <paramref name="assigneeId"/>:
    /// in one of their inboxes, and within their scope (all; their teams' and the unassigned; or their own).
    /// </summary>
    public bool CanSee(Guid inboxId, Guid? assigneeId, WorkspaceAccess workspace) =>
        MayUseInbox(inboxId) && Scope switch
        {
            ConversationScope.All => true,
            ConversationScope.Team => assigneeId is null || assigneeId == UserId || workspace.TeamsOf(assigneeId.Value).Overlaps(Teams),
            ConversationScope.Assigned => assigneeId == UserId,
            _ => false,
        };

    /// <summary>Whether the user may act (reply, resolve, reopen, mark read, type) in a conversation they can see: supervisors in any, others in their own or an unassigned one.</summary>
    public bool MayAct(Guid? assigneeId) => Has(Permission.Supervise) || assigneeId is null || assigneeId == UserId;
}

/// <summary>A workspace's people as access control sees them at one instant (refreshed within seconds of a change).</summary>
public sealed class WorkspaceAccess(Guid tenantId, IReadOnlyDictionary<Guid, AgentAccess> agents, IReadOnlySet<Guid> inactive)
{
    private static readonly IReadOnlySet<Guid> None = new HashSet<Guid>();

    /// <summary>The workspace.</summary>
    public Guid TenantId { get; } = tenantId;

    /// <summary>True when someone in the workspace does not see everything: fan-out then also addresses inbox and personal groups.</summary>
    public bool HasRestrictedAgents { get; } = agents.Values.Any(a => !a.SeesEverything);

    /// <summary>The access of <paramref name="userId"/>; null when not an active agent of this workspace.</summary>
    public AgentAccess? For(Guid userId) => agents.GetValueOrDefault(userId);

    /// <summary>
    /// The access of the credential <paramref name="caller"/> holds: the user's, narrowed by an API key's scopes
    /// (<see cref="AgentIdentity.PermissionCap"/>); null when not an active agent of this workspace.
    /// </summary>
    public AgentAccess? For(AgentIdentity caller) =>
        For(caller.UserId) is { } access && caller.PermissionCap is { } cap ? access with { Permissions = access.Permissions & cap } : For(caller.UserId);

    /// <summary>The teams <paramref name="userId"/> belongs to.</summary>
    public IReadOnlySet<Guid> TeamsOf(Guid userId) => agents.GetValueOrDefault(userId)?.Teams ?? None;

    /// <summary>True when the snapshot knows the user, active or deactivated; false for one created after it was taken.</summary>
    public bool Knows(Guid userId) => agents.ContainsKey(userId) || inactive.Contains(userId);

    /// <summary>Every active agent's access.</summary>
    public IEnumerable<AgentAccess> Agents => agents.Values;
}

/// <summary>Reads what a signed-in user may do. Changes to roles and scopes apply within seconds on every node.</summary>
public interface IAccessControl
{
    /// <summary>The user's access; null when <paramref name="user"/> is not a signed-in, active agent.</summary>
    ValueTask<AgentAccess?> GetAsync(ClaimsPrincipal user, CancellationToken ct = default);

    /// <summary>
    /// The workspace's snapshot (for fan-out, routing and console filters). With <paramref name="userId"/>, a snapshot
    /// taken before that user existed is refreshed first, so a new colleague can work at once.
    /// </summary>
    ValueTask<WorkspaceAccess> GetWorkspaceAsync(Guid tenantId, Guid? userId = null, CancellationToken ct = default);

    /// <summary>Drops this node's snapshot of the workspace after a change; other nodes refresh within seconds.</summary>
    void Invalidate(Guid tenantId);
}

/// <summary>Shortcuts over <see cref="IAccessControl"/> for handlers that hold an <see cref="AgentIdentity"/>.</summary>
public static class AccessControlExtensions
{
    /// <summary>The agent's access now; null when they are no longer an active agent.</summary>
    public static async ValueTask<AgentAccess?> ForAsync(this IAccessControl access, AgentIdentity agent, CancellationToken ct = default) =>
        (await access.GetWorkspaceAsync(agent.TenantId, agent.UserId, ct)).For(agent);

    /// <summary>True when the agent's role has <paramref name="permission"/> now.</summary>
    public static async ValueTask<bool> AllowsAsync(this IAccessControl access, AgentIdentity agent, Permission permission, CancellationToken ct = default) =>
        (await access.ForAsync(agent, ct))?.Has(permission) == true;
}
