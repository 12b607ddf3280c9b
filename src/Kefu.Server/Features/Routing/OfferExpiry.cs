using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Ends offers: lapsed ones (<c>offer.expired</c>, and the agent goes away — they are evidently not at their
/// desk) and declined ones (<c>offer.declined</c>). The conversation waits again and is not offered to that agent again.
/// </summary>
internal sealed class OfferExpiry(IDbContextFactory<KefuDbContext> dbFactory, RoutingFanout fanout, TimeProvider time)
{
    /// <summary>Decliners remembered per conversation: 100 × 33 characters stays within the 4,000-character column.</summary>
    private const int MaxDeclined = 100;

    /// <summary>Expires every lapsed offer; returns the workspaces touched.</summary>
    public async Task<HashSet<Guid>> ExpireAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<QueueEntry> lapsed;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            lapsed = await db.QueueEntries.AsNoTracking()
                .Where(q => q.State == QueueState.Offered && q.OfferExpiresAt <= now).ToListAsync(cancellationToken);
        }

        foreach (var entry in lapsed)
        {
            await ReleaseAsync(entry.TenantId, entry.ConversationId, entry.OfferedTo!.Value, expired: true, cancellationToken);
        }

        return [.. lapsed.Select(e => e.TenantId)];
    }

    /// <summary>Ends the offer of <paramref name="conversationId"/> to <paramref name="agentId"/>; false when there is no such offer.</summary>
    public async Task<bool> ReleaseAsync(Guid tenantId, Guid conversationId, Guid agentId, bool expired, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var entry = await db.QueueEntries.AsNoTracking().FirstOrDefaultAsync(
                q => q.ConversationId == conversationId && q.TenantId == tenantId && q.State == QueueState.Offered && q.OfferedTo == agentId, cancellationToken);
            if (entry is null || expired && entry.OfferExpiresAt > now)
            {
                return false;
            }

            // Keep the most recent decliners only: the column is bounded, and one ever-declined conversation
            // must not make every later update of it fail (which stopped routing for every workspace).
            var declined = string.Join(' ', (entry.Declined + " " + agentId.ToString("N"))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().TakeLast(MaxDeclined));
            var changed = await db.QueueEntries.Where(q => q.ConversationId == conversationId && q.State == QueueState.Offered && q.OfferedTo == agentId)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.State, QueueState.Waiting).SetProperty(q => q.OfferedTo, (Guid?)null)
                    .SetProperty(q => q.OfferExpiresAt, (DateTime?)null).SetProperty(q => q.Declined, declined), cancellationToken);
            if (changed == 0)
            {
                return false;
            }

            if (expired)
            {
                await db.AgentProfiles.Where(p => p.UserId == agentId && p.Presence == PresenceState.Online)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Presence, PresenceState.Away).SetProperty(p => p.PresenceChangedAt, now), cancellationToken);
            }

            ConversationJournal.Append(db, expired
                ? new OfferExpired(agentId) { TenantId = tenantId, ConversationId = conversationId, Actor = Actor.System, OccurredAt = now }
                : new OfferDeclined(agentId) { TenantId = tenantId, ConversationId = conversationId, Actor = Actor.Agent(agentId), OccurredAt = now });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await fanout.OfferWithdrawnAsync(tenantId, agentId, conversationId);
        return true;
    }
}
