using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// The visitor's "leave a message instead" (visitor hub <c>LeaveMessage</c>, and the widget's offline form through
/// <see cref="ILeftMessages"/>): the conversation stays open and unassigned, marked as a message to answer, and leaves
/// the line so others move up.
/// </summary>
internal sealed class LeaveMessage(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationDirectory directory, EnqueueConversation enqueue, QueuePositions positions,
    RoutingSignal signal, TimeProvider time) : ILeftMessages
{
    public async Task<(QueueStatusEvent?, KefuError?)> HandleAsync(VisitorIdentity visitor, Guid conversationId, CancellationToken cancellationToken)
    {
        if (await directory.FindForVisitorAsync(visitor, conversationId, cancellationToken) is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        if (!await MarkQueuedAsync(visitor.TenantId, visitor.ContactId, conversationId, cancellationToken))
        {
            return (null, RoutingErrors.NotQueued);
        }

        return (await LeftAsync(visitor.TenantId, visitor.ContactId, conversationId), null);
    }

    /// <inheritdoc />
    public async Task<bool> MarkAsync(Guid tenantId, Guid contactId, Guid conversationId, CancellationToken cancellationToken)
    {
        // The offline form's message may have just created the conversation: routing's consumer queues it on the durable
        // lane, later. Entering it here, already left, keeps it from being offered meanwhile; the consumer then finds the
        // entry and does nothing (one entry per conversation).
        var entered = await enqueue.HandleAsync(conversationId, null, null, cancellationToken, Actor.Visitor(contactId));
        if (!entered && !await MarkQueuedAsync(tenantId, contactId, conversationId, cancellationToken))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.QueueEntries.AnyAsync(q => q.ConversationId == conversationId && q.TenantId == tenantId && q.State == QueueState.LeftMessage, cancellationToken);
        }

        await LeftAsync(tenantId, contactId, conversationId);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<Guid>> AmongAsync(Guid tenantId, IReadOnlyCollection<Guid> conversationIds, CancellationToken cancellationToken)
    {
        if (conversationIds.Count == 0)
        {
            return new HashSet<Guid>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = conversationIds.ToList();
        return (await db.QueueEntries.AsNoTracking()
            .Where(q => q.TenantId == tenantId && q.State == QueueState.LeftMessage && ids.Contains(q.ConversationId))
            .Select(q => q.ConversationId).ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>A waiting entry becomes a left message, with its journal row, in one transaction; false when there is none to change.</summary>
    private async Task<bool> MarkQueuedAsync(Guid tenantId, Guid contactId, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var changed = await db.QueueEntries.Where(q => q.ConversationId == conversationId && q.TenantId == tenantId && q.State != QueueState.LeftMessage)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.State, QueueState.LeftMessage).SetProperty(q => q.OfferedTo, (Guid?)null), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        ConversationJournal.Append(db, new ConversationLeftMessage
        {
            TenantId = tenantId, ConversationId = conversationId, Actor = Actor.Visitor(contactId), OccurredAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<QueueStatusEvent> LeftAsync(Guid tenantId, Guid contactId, Guid conversationId)
    {
        signal.Notify();
        // A routing pass only publishes workspaces with visitors still in line: the consoles' "Offline message" marks
        // and the queue board learn of this one here.
        positions.Changed(tenantId);
        await positions.LeftAsync(contactId, conversationId, "left_message");
        return new QueueStatusEvent(conversationId, "left_message", 0, 0);
    }
}
