using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// Who may see and act on a conversation. Seeing follows the role's conversation scope and the agent's
/// inboxes (<see cref="AgentAccess.CanSee"/>): a conversation outside them does not exist for the agent (404).
/// Acting (reply, resolve, reopen, mark read, type) needs <see cref="Permission.Supervise"/> or the
/// conversation to be unassigned or the agent's own. The one check that the REST API, the agent hub and the
/// console all reach through the use cases, so they cannot disagree.
/// </summary>
internal sealed class ConversationAccess(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, ConversationDirectory directory) : IConversationAccess
{
    /// <summary>The conversation is assigned to another agent.</summary>
    public static readonly KefuError NotYours = new("forbidden", "The conversation is assigned to another agent.");

    /// <summary>Null when <paramref name="agent"/> may act; otherwise not found (another workspace, out of scope, or none) or <see cref="NotYours"/>.</summary>
    public async Task<KefuError?> CheckAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CheckAsync(db, agent, conversationId, cancellationToken);
    }

    /// <summary>The same check inside the caller's context (and transaction).</summary>
    public Task<KefuError?> CheckAsync(KefuDbContext db, AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken) =>
        CheckCoreAsync(db, agent, conversationId, act: true, cancellationToken);

    /// <summary>
    /// Null when <paramref name="agent"/> may see the conversation. For agents who see everything (the common case) it
    /// costs the directory's cached owner lookup, no query.
    /// </summary>
    public async Task<KefuError?> CheckReadAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        var workspace = await access.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        if (workspace.For(agent) is not { } mine)
        {
            return ConversationErrors.ConversationNotFound;
        }

        if (mine.SeesEverything)
        {
            return await directory.FindAsync(conversationId, cancellationToken) is { } owner && owner.TenantId == agent.TenantId
                ? null
                : ConversationErrors.ConversationNotFound;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CheckCoreAsync(db, agent, conversationId, act: false, cancellationToken);
    }

    /// <summary>The caller's access now, for pages that filter what they show.</summary>
    public async Task<(AgentAccess? Access, WorkspaceAccess Workspace)> ForAsync(AgentIdentity agent, CancellationToken cancellationToken)
    {
        var workspace = await access.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        return (workspace.For(agent), workspace);
    }

    /// <inheritdoc />
    public async Task<IQueryable<Conversation>?> VisibleAsync(KefuDbContext db, AgentIdentity agent, CancellationToken cancellationToken)
    {
        var workspace = await access.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        return workspace.For(agent) is { } mine && mine.Scope != ConversationScope.None
            ? db.Conversations.AsNoTracking().Where(c => c.TenantId == agent.TenantId).Scoped(mine, workspace)
            : null;
    }

    private async Task<KefuError?> CheckCoreAsync(KefuDbContext db, AgentIdentity agent, Guid conversationId, bool act, CancellationToken cancellationToken)
    {
        var row = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == conversationId && c.TenantId == agent.TenantId)
            .Select(c => new { c.InboxId, c.AssigneeId })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return ConversationErrors.ConversationNotFound;
        }

        var workspace = await access.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        if (workspace.For(agent) is not { } mine || !mine.CanSee(row.InboxId, row.AssigneeId, workspace))
        {
            return ConversationErrors.ConversationNotFound;
        }

        return act && !mine.MayAct(row.AssigneeId) ? NotYours : null;
    }
}
