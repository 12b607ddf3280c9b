using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>
/// Which canned replies one agent sees and edits: their own personal ones, their teams' and the shared ones;
/// with the knowledge permission also every team's, and they edit team and shared replies. Another agent's personal
/// reply, or another workspace's, is "not found" — never "forbidden", which would say it exists.
/// </summary>
internal sealed record CannedReplyViewer(Guid UserId, Guid TenantId, bool ManagesTeamAndShared, IReadOnlyCollection<Guid> Teams)
{
    public static async Task<CannedReplyViewer?> ForAsync(IAccessControl access, AgentIdentity caller, CancellationToken ct)
    {
        var rights = await access.ForAsync(caller, ct);
        return rights is null ? null : new CannedReplyViewer(caller.UserId, caller.TenantId, rights.Has(Permission.Knowledge), [.. rights.Teams]);
    }

    public IQueryable<CannedReply> Visible(IQueryable<CannedReply> replies)
    {
        var (me, tenant, all, teams) = (UserId, TenantId, ManagesTeamAndShared, Teams.ToList());
        return replies.Where(r => r.TenantId == tenant && (r.Scope == CannedReplyScope.Shared
            || (r.Scope == CannedReplyScope.Personal && r.OwnerId == me)
            || (r.Scope == CannedReplyScope.Team && (all || teams.Contains(r.TeamId!.Value)))));
    }

    public bool Manages(CannedReply reply) => reply.TenantId == TenantId &&
        (reply.Scope == CannedReplyScope.Personal ? reply.OwnerId == UserId : ManagesTeamAndShared);

    /// <summary>Whether the agent may give a reply this scope (personal: anyone; team and shared: the knowledge permission).</summary>
    public bool MayWrite(CannedReplyScope scope) => scope == CannedReplyScope.Personal || ManagesTeamAndShared;

    /// <param name="files">The workspace's files, of this reply and maybe others: those of the reply are listed in its order.</param>
    public CannedReplyDto ToDto(CannedReply r, int myUsage, IReadOnlyDictionary<Guid, AttachmentDto> files) =>
        new(r.Id, r.Title, r.Shortcut, r.Category, r.TextZh, r.TextEn, r.Scope, r.TeamId, r.OwnerId, r.UsageCount, myUsage, Manages(r), r.UpdatedAt,
            [.. CannedReplyRules.AttachmentIds(r).Where(files.ContainsKey).Select(id => files[id])]);
}
