using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// The visitor's "leave a message instead" (visitor hub <c>LeaveMessage</c>): the conversation stays open and
/// unassigned, marked as a message to answer, and leaves the line so others move up.
/// </summary>
internal sealed class LeaveMessage(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationDirectory directory, QueuePositions positions, RoutingSignal signal, TimeProvider time)
{
    public async Task<(QueueStatusEvent?, KefuError?)> HandleAsync(VisitorIdentity visitor, Guid conversationId, CancellationToken cancellationToken)
    {
        if (await directory.FindForVisitorAsync(visitor, conversationId, cancellationToken) is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            var changed = await db.QueueEntries.Where(q => q.ConversationId == conversationId && q.State != QueueState.LeftMessage)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.State, QueueState.LeftMessage).SetProperty(q => q.OfferedTo, (Guid?)null), cancellationToken);
            if (changed == 0)
            {
                return (null, RoutingErrors.NotQueued);
            }

            ConversationJournal.Append(db, new ConversationLeftMessage
            {
                TenantId = visitor.TenantId, ConversationId = conversationId, Actor = Actor.Visitor(visitor.ContactId), OccurredAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        signal.Notify();
        await positions.LeftAsync(visitor.ContactId, conversationId, "left_message");
        return (new QueueStatusEvent(conversationId, "left_message", 0, 0), null);
    }
}
