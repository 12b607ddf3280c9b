using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// Who may act on a conversation (reply, resolve, reopen, mark read, type): an agent only on one that is
/// unassigned or assigned to them; supervisors and admins on any of their workspace. The one check that
/// the REST API, the agent hub and the console all reach through the use cases, so they cannot disagree.
/// Reading stays open to the whole workspace; moving conversations follows routing's own rules.
/// </summary>
internal sealed class ConversationAccess(IDbContextFactory<KefuDbContext> dbFactory)
{
    /// <summary>The conversation is assigned to another agent.</summary>
    public static readonly KefuError NotYours = new("forbidden", "The conversation is assigned to another agent.");

    /// <summary>Null when <paramref name="agent"/> may act; otherwise not found (another workspace, or none) or <see cref="NotYours"/>.</summary>
    public async Task<KefuError?> CheckAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CheckAsync(db, agent, conversationId, cancellationToken);
    }

    /// <summary>The same check inside the caller's context (and transaction).</summary>
    public static async Task<KefuError?> CheckAsync(KefuDbContext db, AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        var row = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == conversationId && c.TenantId == agent.TenantId)
            .Select(c => new { c.AssigneeId })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return ConversationErrors.ConversationNotFound;
        }

        return MayAct(agent, row.AssigneeId) ? null : NotYours;
    }

    /// <summary>The rule itself, for callers that already hold the conversation's assignee (the console's typing indicator).</summary>
    public static bool MayAct(AgentIdentity agent, Guid? assigneeId) =>
        agent.Role != AgentRole.Agent || assigneeId is null || assigneeId == agent.UserId;
}
