using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Notifications;

/// <summary>
/// Writes the bell's lines from the durable event lane: an offer to an agent, a transfer to an agent by someone else,
/// a visitor's message in a conversation assigned to an agent. Written here, not in the console, so an agent who is
/// signed out (or on another device) finds them later. At least once: a replayed event is recognised (by its time, or
/// a message's <c>Seq</c>) and changes nothing; a line already there is raised again rather than duplicated.
/// </summary>
internal sealed partial class RecordNotifications(
    IDbContextFactory<KefuDbContext> dbFactory, IMessageFanout fanout, ILogger<RecordNotifications> logger) : IOutboxConsumer
{
    public string Name => "notifications";

    public bool Handles(ConversationEvent e) => e switch
    {
        ConversationOffered => true,
        ConversationTransferred { AgentId: { } to } t => t.Actor.Id != to, // nobody is told of what they did themselves
        MessageCreated { Sender: SenderType.Visitor, Handler: ConversationHandler.Agent } => true,
        _ => false,
    };

    public async Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
    {
        if (!Handles(e))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (agentId, kind, seq) = e switch
        {
            ConversationOffered o => (o.AgentId, NotificationKind.Offer, 0L),
            ConversationTransferred t => (t.AgentId, NotificationKind.Transfer, 0L),
            MessageCreated m => (await AssigneeAsync(db, e, cancellationToken), NotificationKind.Message, m.Seq),
            _ => (null, NotificationKind.Message, 0L),
        };
        if (agentId is not { } agent)
        {
            return; // a message in a conversation nobody holds any more
        }

        if (await RaiseAsync(db, e, agent, kind, seq, cancellationToken))
        {
            LogRaised(logger, kind, e.ConversationId, agent);
            fanout.NotificationsChanged(e.TenantId, agent);
        }
    }

    private static Task<Guid?> AssigneeAsync(KefuDbContext db, ConversationEvent e, CancellationToken cancellationToken) =>
        db.Conversations.Where(c => c.Id == e.ConversationId && c.TenantId == e.TenantId).Select(c => c.AssigneeId).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Adds the line or raises it again; false when this event was counted already.</summary>
    private static async Task<bool> RaiseAsync(KefuDbContext db, ConversationEvent e, Guid agentId, NotificationKind kind, long seq, CancellationToken cancellationToken)
    {
        // This runs for every visitor message in a held conversation: an existing line is raised with one read and one
        // write; the existence checks are paid only when a line is created (a message's conversation was found already
        // when its assignee was read).
        var line = await db.Notifications.FirstOrDefaultAsync(n => n.AgentId == agentId && n.ConversationId == e.ConversationId && n.Kind == kind, cancellationToken);
        if (line is null)
        {
            if (!await db.Users.AnyAsync(u => u.Id == agentId && u.TenantId == e.TenantId, cancellationToken) ||
                (kind != NotificationKind.Message && !await db.Conversations.AnyAsync(c => c.Id == e.ConversationId, cancellationToken)))
            {
                return false; // deleted meanwhile: nothing to point at
            }

            db.Notifications.Add(new AgentNotification
            {
                Id = Guid.CreateVersion7(), TenantId = e.TenantId, AgentId = agentId, Kind = kind, ConversationId = e.ConversationId,
                ActorId = e.Actor.Id, Count = 1, LastSeq = seq, CreatedAt = e.OccurredAt, UpdatedAt = e.OccurredAt,
            });
        }
        else
        {
            // A replay carries the same time (or Seq) as what was counted: it must not count twice or make a read line unread.
            var newer = kind == NotificationKind.Message ? seq > line.LastSeq : e.OccurredAt > line.UpdatedAt;
            if (!newer)
            {
                return false;
            }

            line.Count = line.ReadAt is null ? line.Count + 1 : 1;
            line.ReadAt = null;
            line.ActorId = e.Actor.Id;
            line.LastSeq = Math.Max(line.LastSeq, seq);
            line.UpdatedAt = e.OccurredAt > line.UpdatedAt ? e.OccurredAt : line.UpdatedAt;
        }

        // A second writer racing on the same line fails on the unique index; the dispatcher retries this event,
        // which then finds the line and raises it.
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bell line {Kind} for conversation {ConversationId} raised for agent {AgentId}")]
    private static partial void LogRaised(ILogger logger, NotificationKind kind, Guid conversationId, Guid agentId);
}
