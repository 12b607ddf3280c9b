using System.Collections.Concurrent;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Visitors' places in line and wait estimates. Position counts within the inbox's line in serving order;
/// the estimate is position × recent mean handling time ÷ agents online. Pushes only changes.
/// </summary>
internal sealed class QueuePositions(
    IDbContextFactory<KefuDbContext> dbFactory, RoutingAgents agents, RoutingFanout fanout, IOptions<RoutingOptions> options, TimeProvider time)
{
    // Last status pushed per conversation, per workspace; pruned to the current line on every publish.
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, QueueStatusEvent>> _sent = new();
    private readonly ConcurrentDictionary<Guid, (DateTime At, double Seconds)> _handling = new();

    /// <summary>Recomputes every line of the workspace and pushes what changed.</summary>
    public async Task PublishAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var statuses = await ComputeAsync(tenantId, null, cancellationToken);
        var sent = _sent.GetOrAdd(tenantId, _ => new());
        foreach (var (contactId, status) in statuses)
        {
            if (!sent.TryGetValue(status.ConversationId, out var last) || last != status)
            {
                sent[status.ConversationId] = status;
                await fanout.QueueUpdatedAsync(contactId, status);
            }
        }

        var current = statuses.Select(s => s.Status.ConversationId).ToHashSet();
        foreach (var gone in sent.Keys.Where(id => !current.Contains(id)).ToList())
        {
            sent.TryRemove(gone, out _);
        }

        fanout.QueueChanged(tenantId);
    }

    /// <summary>Tells the workspace's consoles the line changed outside a routing pass (a visitor left a message).</summary>
    public void Changed(Guid tenantId) => fanout.QueueChanged(tenantId);

    /// <summary>Tells a visitor they are out of the line (assigned, or left a message).</summary>
    public Task LeftAsync(Guid contactId, Guid conversationId, string state) =>
        fanout.QueueUpdatedAsync(contactId, new QueueStatusEvent(conversationId, state, 0, 0));

    /// <summary>One conversation's status, for a visitor who (re)connects: <c>none</c> when it is not in the line.</summary>
    public async Task<QueueStatusEvent> StatusAsync(Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        var statuses = await ComputeAsync(tenantId, conversationId, cancellationToken);
        return statuses.Select(s => s.Status).FirstOrDefault(s => s.ConversationId == conversationId)
               ?? new QueueStatusEvent(conversationId, "none", 0, 0);
    }

    private async Task<List<(Guid ContactId, QueueStatusEvent Status)>> ComputeAsync(Guid tenantId, Guid? only, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = only is { } id ? await db.QueueEntries.Where(q => q.ConversationId == id).Select(q => (Guid?)q.InboxId).FirstOrDefaultAsync(cancellationToken) : null;
        if (only is not null && inbox is null)
        {
            return [];
        }

        var entries = await db.QueueEntries.AsNoTracking()
            .Where(q => q.TenantId == tenantId && (inbox == null || q.InboxId == inbox))
            .Select(q => new { q.ConversationId, q.ContactId, q.InboxId, q.State, q.Rank, q.EnqueuedAt })
            .ToListAsync(cancellationToken);
        var online = (await agents.LoadAsync(db, tenantId, cancellationToken)).Count(a => a.Presence == PresenceState.Online && a.Connected);
        var handling = await HandlingSecondsAsync(db, tenantId, cancellationToken);
        var result = new List<(Guid, QueueStatusEvent)>(entries.Count);
        foreach (var line in entries.GroupBy(e => e.InboxId))
        {
            var position = 0;
            foreach (var e in line.OrderByDescending(e => e.Rank).ThenBy(e => e.EnqueuedAt).ThenBy(e => e.ConversationId))
            {
                if (e.State == QueueState.LeftMessage)
                {
                    result.Add((e.ContactId, new QueueStatusEvent(e.ConversationId, "left_message", 0, 0)));
                    continue;
                }

                position++;
                var eta = (int)Math.Ceiling(position * handling / Math.Max(1, online));
                result.Add((e.ContactId, new QueueStatusEvent(e.ConversationId, "waiting", position, eta)));
            }
        }

        return result;
    }

    /// <summary>Mean time from start to resolution of the workspace's last 50 resolved conversations, cached for 30 s.</summary>
    private async Task<double> HandlingSecondsAsync(KefuDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_handling.TryGetValue(tenantId, out var cached) && now - cached.At < TimeSpan.FromSeconds(30))
        {
            return cached.Seconds;
        }

        var recent = await db.Conversations.AsNoTracking()
            .Where(c => c.TenantId == tenantId && c.Status == ConversationStatus.Resolved && c.ResolvedAt != null)
            .OrderByDescending(c => c.ResolvedAt).Take(50)
            .Select(c => new { c.CreatedAt, c.ResolvedAt }).ToListAsync(cancellationToken);
        var seconds = recent.Count == 0
            ? options.Value.DefaultHandlingTime.TotalSeconds
            : recent.Average(r => Math.Max(0, (r.ResolvedAt!.Value - r.CreatedAt).TotalSeconds));
        _handling[tenantId] = (now, seconds);
        return seconds;
    }
}
