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
    IDbContextFactory<KefuDbContext> dbFactory, SqliteWriteGate gate, IMessageFanout fanout, ILogger<RecordNotifications> logger) : IOutboxConsumer
{
    public string Name => "notifications";

    public bool Handles(ConversationEvent e) => e switch
    {
        ConversationOffered => true,
        ConversationTransferred { AgentId: { } to } t => t.Actor.Id != to, // nobody is told of what they did themselves
        MessageCreated { Sender: SenderType.Visitor } => true, // the assignee's line (held by an agent) and followers' lines
        _ => FollowerTargets.Handles(e),
    };

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    /// <summary>
    /// A group commit's visitor messages arrive as one list: the assignees, the lines and the agents are read with one
    /// query each and the lines are written with one <c>SaveChanges</c>, instead of a read, a read and a commit per message.
    /// </summary>
    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var wanted = events.Where(Handles).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var held = wanted.OfType<MessageCreated>().Where(m => m.Handler == ConversationHandler.Agent).Select(m => m.ConversationId).Distinct().ToList();
        var assignees = held.Count == 0 ? [] : await db.Conversations.AsNoTracking()
            .Where(c => EF.Parameter(held).Contains(c.Id))
            .Select(c => new { c.Id, c.TenantId, c.AssigneeId })
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var targets = new List<(ConversationEvent Event, Guid Agent, NotificationKind Kind, long Seq)>(wanted.Count);
        foreach (var e in wanted)
        {
            var (agentId, kind, seq) = e switch
            {
                ConversationOffered o => (o.AgentId, NotificationKind.Offer, 0L),
                ConversationTransferred t => (t.AgentId, NotificationKind.Transfer, 0L),
                MessageCreated { Handler: ConversationHandler.Agent } m =>
                    (assignees.TryGetValue(e.ConversationId, out var c) && c.TenantId == e.TenantId ? c.AssigneeId : null, NotificationKind.Message, m.Seq),
                _ => (null, NotificationKind.Message, 0L),
            };
            if (agentId is { } agent)
            {
                targets.Add((e, agent, kind, seq)); // else a message in a conversation nobody holds any more
            }
        }

        // Mentions and followers: the assignee already has the message line, so a follower who holds it gets no second one.
        targets.AddRange(await FollowerTargets.ForAsync(db, wanted, targets.Where(t => t.Kind == NotificationKind.Message).Select(t => (t.Event, t.Agent)).ToHashSet(), cancellationToken));
        if (targets.Count == 0)
        {
            return;
        }

        var agents = targets.Select(t => t.Agent).Distinct().ToList();
        var conversations = targets.Select(t => t.Event.ConversationId).Distinct().ToList();
        var lines = await db.Notifications.AsNoTracking()
            .Where(n => EF.Parameter(agents).Contains(n.AgentId) && n.ConversationId != null && EF.Parameter(conversations).Contains(n.ConversationId.Value))
            .ToDictionaryAsync(n => (n.AgentId, n.ConversationId!.Value, n.Kind), cancellationToken);
        var checks = new NewLineChecks(db, agents, conversations);
        var raised = new HashSet<(Guid Tenant, Guid Agent)>();
        var changed = new HashSet<AgentNotification>();
        foreach (var (e, agent, kind, seq) in targets)
        {
            if (await RaiseAsync(db, lines, checks, e, agent, kind, seq, cancellationToken) is { } line)
            {
                LogRaised(logger, kind, e.ConversationId, agent);
                raised.Add((e.TenantId, agent));
                changed.Add(line);
            }
        }

        if (raised.Count == 0)
        {
            return;
        }

        // New lines through EF (a second writer racing on the same line fails on the unique index; the dispatcher
        // retries these events, which then find the line and raise it); raised ones, one per conversation an agent
        // holds, as one prepared update each instead of a change-tracked batch.
        using (await gate.EnterAsync(first: false, cancellationToken)) // behind the message writer (SqliteWriteGate)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            var update = RowStatement.Update<AgentNotification>(db, Raised, [nameof(AgentNotification.Id)]);
            foreach (var line in changed.Where(l => db.Entry(l).State == EntityState.Detached))
            {
                update.Add(line.Count, line.ReadAt, line.ActorId, line.LastSeq, line.UpdatedAt, line.NoteId, line.Id);
            }

            await update.ExecuteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var (tenant, agent) in raised)
        {
            fanout.NotificationsChanged(tenant, agent);
        }
    }

    private static readonly string[] Raised =
    [
        nameof(AgentNotification.Count), nameof(AgentNotification.ReadAt), nameof(AgentNotification.ActorId),
        nameof(AgentNotification.LastSeq), nameof(AgentNotification.UpdatedAt), nameof(AgentNotification.NoteId),
    ];

    /// <summary>Adds the line or raises it again, in memory; null when this event was counted already or has nothing to point at.</summary>
    private static async Task<AgentNotification?> RaiseAsync(
        KefuDbContext db, Dictionary<(Guid, Guid, NotificationKind), AgentNotification> lines, NewLineChecks checks,
        ConversationEvent e, Guid agentId, NotificationKind kind, long seq, CancellationToken cancellationToken)
    {
        if (!lines.TryGetValue((agentId, e.ConversationId, kind), out var line))
        {
            // The existence checks are paid only when a line is created (a message's conversation was found already
            // when its assignee was read).
            if (!await checks.AgentAsync(agentId, e.TenantId, cancellationToken) ||
                (kind != NotificationKind.Message && !await checks.ConversationAsync(e.ConversationId, cancellationToken)))
            {
                return null; // deleted meanwhile: nothing to point at
            }

            line = new AgentNotification
            {
                Id = Guid.CreateVersion7(), TenantId = e.TenantId, AgentId = agentId, Kind = kind, ConversationId = e.ConversationId,
                ActorId = e.Actor.Id, Count = 1, LastSeq = seq, CreatedAt = e.OccurredAt, UpdatedAt = e.OccurredAt, NoteId = MentionNote(e, kind),
            };
            db.Notifications.Add(line);
            lines.Add((agentId, e.ConversationId, kind), line);
            return line;
        }

        // A replay carries the same time (or Seq) as what was counted: it must not count twice or make a read line unread.
        var newer = kind == NotificationKind.Message ? seq > line.LastSeq : e.OccurredAt > line.UpdatedAt;
        if (!newer)
        {
            return null;
        }

        line.Count = line.ReadAt is null ? line.Count + 1 : 1;
        line.ReadAt = null;
        line.ActorId = e.Actor.Id;
        line.LastSeq = Math.Max(line.LastSeq, seq);
        line.UpdatedAt = e.OccurredAt > line.UpdatedAt ? e.OccurredAt : line.UpdatedAt;
        line.NoteId = MentionNote(e, kind) ?? line.NoteId; // a newer mention opens the newer note
        return line;
    }

    /// <summary>The note a mention line opens (the bell links to it); null for any other line.</summary>
    private static Guid? MentionNote(ConversationEvent e, NotificationKind kind) =>
        kind == NotificationKind.Mention && e is NoteCreated note ? note.NoteId : null;

    /// <summary>What a new line must still point at, read once per row and only when some line is new.</summary>
    private sealed class NewLineChecks(KefuDbContext db, List<Guid> agents, List<Guid> conversations)
    {
        private Dictionary<Guid, Guid>? _agentTenants;
        private HashSet<Guid>? _conversations;

        public async Task<bool> AgentAsync(Guid agentId, Guid tenantId, CancellationToken cancellationToken)
        {
            _agentTenants ??= await db.Users.Where(u => EF.Parameter(agents).Contains(u.Id))
                .Select(u => new { u.Id, u.TenantId })
                .ToDictionaryAsync(u => u.Id, u => u.TenantId, cancellationToken);
            return _agentTenants.TryGetValue(agentId, out var tenant) && tenant == tenantId;
        }

        public async Task<bool> ConversationAsync(Guid conversationId, CancellationToken cancellationToken)
        {
            _conversations ??= [.. await db.Conversations.AsNoTracking().Where(c => EF.Parameter(conversations).Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken)];
            return _conversations.Contains(conversationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bell line {Kind} for conversation {ConversationId} raised for agent {AgentId}")]
    private static partial void LogRaised(ILogger logger, NotificationKind kind, Guid conversationId, Guid agentId);
}
