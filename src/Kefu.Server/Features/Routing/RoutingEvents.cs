using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Routing on the durable lane: a conversation created without the bot, handed off by the bot or reopened
/// enters the queue; a resolved, assigned or transferred conversation frees or takes capacity, so the router
/// looks again. At least once and idempotent, like every consumer.
/// </summary>
internal sealed class RoutingEvents(
    EnqueueConversation enqueue, IDbContextFactory<KefuDbContext> dbFactory, RoutingSignal signal, QueuePositions positions, TimeProvider time)
    : IOutboxConsumer
{
    public string Name => "routing";

    public bool Handles(ConversationEvent e) => e is ConversationCreated or ConversationHandedOff or ConversationReopened
        or ConversationResolved or ConversationAssigned or ConversationTransferred;

    public async Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case ConversationHandedOff handedOff:
                await enqueue.HandleAsync(e.ConversationId, null, await IntentSkillAsync(e.TenantId, handedOff.Skill, cancellationToken), cancellationToken);
                break;
            case ConversationCreated or ConversationReopened:
                await enqueue.HandleAsync(e.ConversationId, null, null, cancellationToken);
                break;
            case ConversationResolved:
                await FreedAsync(e.ConversationId, cancellationToken);
                break;
            default:
                // An agent took it by replying (the writer's rule): it no longer waits.
                // Routing's own claims already removed the entry: read first, so the common case takes no write lock
                // away from the claims (on SQLite every write waits for the one writer).
                await LeftByReplyAsync(e.ConversationId, cancellationToken);
                break;
        }

        signal.Notify();
    }

    /// <summary>
    /// Removes the entry of a conversation an agent took by replying, and tells the visitor: the router's next pass
    /// only pushes positions of those still in line, so without this push the widget kept "number 1 in line"
    /// until a reload.
    /// </summary>
    private async Task LeftByReplyAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stale = db.QueueEntries.Where(q => q.ConversationId == conversationId && db.Conversations.Any(c => c.Id == q.ConversationId && c.AssigneeId != null));
        var contactId = await stale.Select(q => (Guid?)q.ContactId).FirstOrDefaultAsync(cancellationToken);
        if (contactId is null)
        {
            return;
        }

        await stale.ExecuteDeleteAsync(cancellationToken);
        await positions.LeftAsync(contactId.Value, conversationId, "assigned");
    }

    /// <summary>The agent's idle time starts now, and the conversation leaves the line if it was still in it.</summary>
    private async Task FreedAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var assignee = await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.AssigneeId).FirstOrDefaultAsync(cancellationToken);
        if (assignee is { } agent)
        {
            await db.AgentProfiles.Where(p => p.UserId == agent).ExecuteUpdateAsync(s => s.SetProperty(p => p.LastFreedAt, now), cancellationToken);
        }

        await db.QueueEntries.Where(q => q.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// The skill of the bot's detected intent, required only when some agent of the workspace has it: a skill
    /// nobody has would leave the visitor waiting for no one.
    /// </summary>
    private async Task<string?> IntentSkillAsync(Guid tenantId, string? skill, CancellationToken cancellationToken)
    {
        if (SkillSet.Parse(skill).Levels.Keys.SingleOrDefault() is not { } name)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var skills = await db.AgentProfiles.AsNoTracking().Where(p => p.TenantId == tenantId && p.Skills != "").Select(p => p.Skills).ToListAsync(cancellationToken);
        return skills.Any(s => SkillSet.Parse(s).Levels.ContainsKey(name)) ? name : null;
    }
}
