using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Runs one <see cref="AssignmentClaim"/> in its own transaction for a person's action (take, accept, transfer,
/// reassign), turns the outcome into a typed error, and announces the result after commit.
/// </summary>
internal sealed class AssignConversation(
    IDbContextFactory<KefuDbContext> dbFactory, RoutingAgents agents, IConversationReader reader, IMessageFanout fanout, QueuePositions positions, RoutingSignal signal, TimeProvider time)
{
    /// <param name="precondition">Checked inside the transaction before the claim; a non-null error aborts.</param>
    public async Task<(ConversationDto?, KefuError?)> ClaimAsync(
        Guid tenantId, Guid conversationId, Guid agentId, ClaimRequest request,
        Func<KefuDbContext, DateTime, CancellationToken, Task<KefuError?>>? precondition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await agents.EnsureProfilesAsync(db, tenantId, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await db.Conversations.AnyAsync(c => c.Id == conversationId && c.TenantId == tenantId, cancellationToken))
            {
                return (null, ConversationErrors.ConversationNotFound);
            }

            if (precondition is not null && await precondition(db, now, cancellationToken) is { } refused)
            {
                return (null, refused);
            }

            var outcome = await AssignmentClaim.ClaimAsync(db, tenantId, conversationId, agentId, request, now, cancellationToken);
            if (outcome != ClaimOutcome.Claimed)
            {
                return (null, outcome switch
                {
                    ClaimOutcome.AtCapacity => RoutingErrors.AgentAtCapacity,
                    ClaimOutcome.NoAgent => RoutingErrors.AgentNotFound,
                    _ => RoutingErrors.AlreadyAssigned,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var dto = await reader.FindAsync(tenantId, conversationId, cancellationToken);
        if (dto is not null)
        {
            fanout.ConversationChanged(tenantId, dto);
            await positions.LeftAsync(dto.ContactId, dto.Id, "assigned");
        }

        signal.Notify(); // positions of everyone behind move up
        return (dto, null);
    }
}
