using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>How a claim ended.</summary>
internal enum ClaimOutcome
{
    /// <summary>The conversation is now the agent's.</summary>
    Claimed,

    /// <summary>Someone else holds it (or it is resolved, or it moved): nothing changed.</summary>
    Lost,

    /// <summary>The agent already holds as many conversations as their capacity allows: nothing changed.</summary>
    AtCapacity,

    /// <summary>The agent has no routing profile in this workspace.</summary>
    NoAgent,
}

/// <summary>Who asks for an assignment and why, for the timeline.</summary>
/// <param name="Reason"><c>round_robin</c>, <c>least_busy</c>, <c>longest_idle</c>, <c>returning</c>, <c>offer_accepted</c>, <c>manual</c>, <c>transfer</c>, <c>reassign</c>.</param>
/// <param name="ActorId">The person who asked; null for routing itself.</param>
/// <param name="FromAgentId">The current assignee a transfer moves it from; null claims an unassigned conversation.</param>
/// <param name="Note">Transfer note for the timeline (agents' text, never sent to the outbox).</param>
internal sealed record ClaimRequest(string Reason, Guid? ActorId, Guid? FromAgentId = null, string? Note = null);

/// <summary>
/// The one way a conversation gets an assignee: a conditional claim that works the same on SQLite and
/// PostgreSQL, so two workers, two nodes or two agents can never assign one conversation twice (ADR 0004).
/// Runs inside the caller's transaction:
/// 1. <c>UPDATE AgentProfiles SET LastAssignedAt</c> on the agent's row — on PostgreSQL a row lock that
///    serialises concurrent claims for the same agent until commit (SQLite holds one write lock anyway);
/// 2. count the agent's open conversations, refuse at capacity (read after the lock, so it sees every
///    committed claim for that agent);
/// 3. <c>UPDATE Conversations SET AssigneeId, Handler WHERE Id AND AssigneeId IS NULL</c> (or <c>= from</c>
///    for a transfer) — zero rows means someone else won;
/// 4. delete the queue entry, record <c>conversation.assigned</c> (or <c>.transferred</c>) through the journal.
/// </summary>
internal static class AssignmentClaim
{
    public static async Task<ClaimOutcome> ClaimAsync(
        KefuDbContext db, Guid tenantId, Guid conversationId, Guid agentId, ClaimRequest request, DateTime now, CancellationToken cancellationToken)
    {
        // Two statements, not one UPDATE with a COUNT subquery: on PostgreSQL a statement that waited for the row
        // lock re-checks its WHERE against the old snapshot of other tables, so the count must come after the lock.
        var locked = await db.AgentProfiles.Where(p => p.UserId == agentId && p.TenantId == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastAssignedAt, now), cancellationToken);
        if (locked == 0)
        {
            return ClaimOutcome.NoAgent;
        }

        var room = await db.AgentProfiles.Where(p => p.UserId == agentId)
            .Select(p => p.Capacity - db.Conversations.Count(c => c.AssigneeId == agentId && c.Id != conversationId &&
                                                                  (c.Status == ConversationStatus.Open || c.Status == ConversationStatus.Pending)))
            .FirstAsync(cancellationToken);
        if (room <= 0)
        {
            return ClaimOutcome.AtCapacity;
        }

        var target = db.Conversations.Where(c => c.Id == conversationId && c.TenantId == tenantId && c.Status != ConversationStatus.Resolved);
        target = request.FromAgentId is { } from ? target.Where(c => c.AssigneeId == from) : target.Where(c => c.AssigneeId == null);
        var changed = await target.ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AssigneeId, agentId)
            .SetProperty(c => c.Handler, ConversationHandler.Agent), cancellationToken);
        if (changed == 0)
        {
            return ClaimOutcome.Lost;
        }

        await db.QueueEntries.Where(q => q.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);

        Record(db, tenantId, conversationId, agentId, request, now);
        return ClaimOutcome.Claimed;
    }

    /// <summary>Adds the won claim's event (saved with the caller's transaction).</summary>
    public static void Record(KefuDbContext db, Guid tenantId, Guid conversationId, Guid agentId, ClaimRequest request, DateTime now) =>
        ConversationJournal.Append(db, Event(tenantId, conversationId, agentId, request, now));

    /// <summary>The event of a won claim: <c>conversation.assigned</c>, or <c>.transferred</c> from another agent, with who and why.</summary>
    public static ConversationEvent Event(Guid tenantId, Guid conversationId, Guid agentId, ClaimRequest request, DateTime now)
    {
        var actor = request.ActorId is { } id ? Actor.Agent(id) : Actor.System;
        return request.FromAgentId is null
            ? new ConversationAssigned(agentId, request.Reason) { TenantId = tenantId, ConversationId = conversationId, Actor = actor, OccurredAt = now }
            : new ConversationTransferred(agentId, null, request.FromAgentId, request.Reason, request.Note)
            {
                TenantId = tenantId, ConversationId = conversationId, Actor = actor, OccurredAt = now,
            };
    }
}
