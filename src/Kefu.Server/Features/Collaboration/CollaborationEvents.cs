using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// The durable lane's part of collaboration: a customer's message opens a snoozed or pending conversation again, and an
/// agent who is assigned a conversation (routing, taking it, a transfer) follows it until it moves on to someone else. Here rather than in the message
/// writer, so the message hot path does not change; at least once, and both steps are idempotent.
/// </summary>
internal sealed class CollaborationEvents(IDbContextFactory<KefuDbContext> dbFactory, SnoozeStates states, TimeProvider time) : IOutboxConsumer
{
    public string Name => "collaboration";

    public bool Handles(ConversationEvent e) => e is MessageCreated { Sender: SenderType.Visitor } or ConversationAssigned or ConversationTransferred;

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    /// <summary>One read for a whole pass of customers' messages: almost none of them are in a snoozed or pending conversation.</summary>
    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var replies = events.OfType<MessageCreated>().Where(Handles).GroupBy(m => m.ConversationId).Select(g => g.MaxBy(m => m.OccurredAt)!).ToList();
        if (replies.Count > 0)
        {
            var ids = replies.Select(m => m.ConversationId).ToList();
            List<Guid> waiting;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                waiting = await db.Conversations.AsNoTracking()
                    .Where(c => EF.Parameter(ids).Contains(c.Id) && (c.Status == ConversationStatus.Snoozed || c.Status == ConversationStatus.Pending))
                    .Select(c => c.Id).ToListAsync(cancellationToken);
            }

            foreach (var reply in replies.Where(r => waiting.Contains(r.ConversationId)))
            {
                await states.OpenAsync(reply.TenantId, reply.ConversationId, reply.Actor, OpenedReasons.Reply, reply.OccurredAt, cancellationToken);
            }
        }

        var assigned = events.Select(e => e switch
        {
            ConversationAssigned a => (e.TenantId, e.ConversationId, Agent: (Guid?)a.AgentId),
            ConversationTransferred t => (e.TenantId, e.ConversationId, Agent: t.AgentId),
            _ => (e.TenantId, e.ConversationId, Agent: null),
        }).Where(a => a.Agent is not null).Distinct().ToList();
        foreach (var moved in events.OfType<ConversationTransferred>().Where(t => t.FromAgentId is not null && t.FromAgentId != t.AgentId))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.ConversationFollowers.Where(f => f.ConversationId == moved.ConversationId && f.AgentId == moved.FromAgentId && f.AsAssignee)
                .ExecuteDeleteAsync(cancellationToken);
        }

        if (assigned.Count > 0)
        {
            await FollowAsync(assigned.Select(a => (a.TenantId, a.ConversationId, a.Agent!.Value)), cancellationToken);
        }
    }

    private async Task FollowAsync(IEnumerable<(Guid Tenant, Guid Conversation, Guid Agent)> assignments, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var (tenant, conversation, agent) in assignments)
        {
            // Conversation and agent must still exist and belong to the workspace: a replayed event may outlive either.
            if (await db.ConversationFollowers.AnyAsync(f => f.ConversationId == conversation && f.AgentId == agent, cancellationToken) ||
                !await db.Conversations.AnyAsync(c => c.Id == conversation && c.TenantId == tenant, cancellationToken) ||
                !await db.Users.AnyAsync(u => u.Id == agent && u.TenantId == tenant, cancellationToken))
            {
                continue;
            }

            db.ConversationFollowers.Add(new ConversationFollower { ConversationId = conversation, AgentId = agent, TenantId = tenant, CreatedAt = now, AsAssignee = true });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
