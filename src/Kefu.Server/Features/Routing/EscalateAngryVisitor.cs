using Kefu.Nlu;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// The bot reads the visitor's mood only while it holds a conversation; after the hand-off this consumer does:
/// an angry message while the visitor waits in the queue or talks to an agent raises the conversation's priority
/// to high (it moves up the line, and the console shows it to the agent and supervisors), with a
/// <c>conversation.priority_changed</c> event whose reason the timeline shows. Raised once: a conversation already
/// high or urgent is left alone, so a replayed event or a second angry message changes nothing.
/// </summary>
internal sealed partial class EscalateAngryVisitor(
    IDbContextFactory<KefuDbContext> dbFactory,
    IConversationReader reader,
    IMessageFanout fanout,
    RoutingSignal signal,
    TimeProvider time,
    ILogger<EscalateAngryVisitor> logger) : IOutboxConsumer
{
    public string Name => "mood";

    public bool Handles(ConversationEvent e) =>
        e is MessageCreated { Sender: SenderType.Visitor, Handler: ConversationHandler.Queue or ConversationHandler.Agent };

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    /// <summary>
    /// Reads the texts of a group commit's visitor messages with one query (the event does not carry the text), and
    /// touches the conversation only for an angry one.
    /// </summary>
    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var messages = events.Where(Handles).OfType<MessageCreated>().ToList();
        if (messages.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = messages.Select(m => m.MessageId).ToList();
        var texts = await db.Messages.AsNoTracking().Where(m => EF.Parameter(ids).Contains(m.Id))
            .Select(m => new { m.Id, m.ConversationId, m.Text })
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var message in messages)
        {
            if (texts.TryGetValue(message.MessageId, out var stored) && stored.ConversationId == message.ConversationId &&
                Sentiment.Analyze(stored.Text) is { IsAngry: true } mood)
            {
                await EscalateAsync(db, message, mood, cancellationToken);
            }
        }
    }

    private async Task EscalateAsync(KefuDbContext db, MessageCreated e, SentimentResult mood, CancellationToken cancellationToken)
    {
        var current = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == e.ConversationId && c.TenantId == e.TenantId && c.Status != ConversationStatus.Resolved)
            .Select(c => (ConversationPriority?)c.Priority).FirstOrDefaultAsync(cancellationToken);
        if (current is not { } from || from >= ConversationPriority.High)
        {
            return;
        }

        if (!await RaiseAsync(db, e, from, e.Handler, mood, cancellationToken))
        {
            return;
        }

        LogRaised(logger, e.ConversationId, from);
        if (await reader.FindAsync(e.TenantId, e.ConversationId, cancellationToken) is { } dto)
        {
            fanout.ConversationChanged(e.TenantId, dto);
        }

        signal.Notify(); // the line's order changed
    }

    private async Task<bool> RaiseAsync(
        KefuDbContext db, ConversationEvent e, ConversationPriority from, ConversationHandler handler, SentimentResult mood, CancellationToken cancellationToken)
    {
        const ConversationPriority to = ConversationPriority.High;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Conditional on the priority read above: someone who set it meanwhile wins, and nothing is recorded twice.
        var changed = await db.Conversations.Where(c => c.Id == e.ConversationId && c.Priority == from)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Priority, to), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        // The rank is the priority plus the VIP bonus (RoutingEngine.Rank): move it by the same step.
        var step = (int)to - (int)from;
        await db.QueueEntries.Where(q => q.ConversationId == e.ConversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Rank, q => q.Rank + step), cancellationToken);
        var reason = handler == ConversationHandler.Queue ? PriorityReasons.AngryWhileWaiting : PriorityReasons.AngryWithAgent;
        ConversationJournal.Append(db, new ConversationPriorityChanged(from, to, reason, string.Join(", ", mood.Cues.Distinct(StringComparer.Ordinal).Take(10)))
        {
            TenantId = e.TenantId, ConversationId = e.ConversationId, Actor = Actor.System, OccurredAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId}: the visitor is angry, priority raised from {From} to high")]
    private static partial void LogRaised(ILogger logger, Guid conversationId, ConversationPriority from);
}
