using System.Text.Json;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>
/// The only code that records a <see cref="ConversationEvent"/>: its timeline row (for state changes) and its
/// outbox row, added to the caller's context so both commit in the caller's transaction with the change they
/// describe. Message events of one batch share one outbox row per workspace (<see cref="MessagesCreatedBatch"/>):
/// half the rows a message costs; the dispatcher hands them out one by one.
/// </summary>
internal static class ConversationJournal
{
    /// <summary>Outbox type of a batch of <see cref="MessageCreated"/> events of one workspace.</summary>
    public const string MessagesCreatedBatch = "messages.created";

    /// <summary>Adds the event's timeline row and outbox row to <paramref name="db"/> (saved by the caller).</summary>
    public static void Append(KefuDbContext db, ConversationEvent e)
    {
        var (entry, outbox) = Rows(e);
        if (entry is not null)
        {
            db.ConversationEvents.Add(entry);
        }

        db.Outbox.Add(outbox);
    }

    /// <summary>
    /// The rows <see cref="Append"/> adds, for callers that insert with their own prepared statements
    /// (the router's batch claims); they must insert both or neither.
    /// </summary>
    public static (TimelineEntry? Entry, OutboxMessage Outbox) Rows(ConversationEvent e)
    {
        var entry = e.InTimeline
            ? new TimelineEntry
            {
                TenantId = e.TenantId,
                ConversationId = e.ConversationId,
                Type = e.Type,
                ActorType = ActorName(e.Actor.Type),
                ActorId = e.Actor.Id,
                Data = ConversationEventCatalogue.ToTimelineJson(e),
                CreatedAt = e.OccurredAt,
            }
            : null;
        var outbox = new OutboxMessage
        {
            TenantId = e.TenantId,
            Type = e.Type,
            SubjectId = e.ConversationId,
            Payload = ConversationEventCatalogue.ToOutboxJson(e),
            CreatedAt = e.OccurredAt,
        };
        return (entry, outbox);
    }

    /// <summary>Adds one outbox row per workspace for a batch of committed-together messages.</summary>
    public static void AppendMessages(KefuDbContext db, IEnumerable<MessageCreated> messages, DateTime now)
    {
        foreach (var tenant in messages.GroupBy(m => m.TenantId))
        {
            db.Outbox.Add(new OutboxMessage
            {
                TenantId = tenant.Key,
                Type = MessagesCreatedBatch,
                SubjectId = tenant.Key,
                Payload = JsonSerializer.Serialize(new MessageBatch([.. tenant]), ConversationEventCatalogue.OutboxJson),
                CreatedAt = now,
            });
        }
    }

    /// <summary>The events an outbox row stands for: its own event, or each message of a batch row.</summary>
    /// <exception cref="JsonException">The row cannot be read.</exception>
    public static IReadOnlyList<ConversationEvent> Read(OutboxMessage row)
    {
        if (row.Type != MessagesCreatedBatch)
        {
            return [ConversationEventCatalogue.Read(row.Type, row.Payload)];
        }

        var batch = JsonSerializer.Deserialize<MessageBatch>(row.Payload, ConversationEventCatalogue.OutboxJson)
                    ?? throw new JsonException("Empty message batch.");
        return batch.Messages;
    }

    /// <summary>The actor's name as stored in the timeline: <c>visitor</c>, <c>agent</c>, <c>bot</c>, <c>system</c>, <c>integration</c>.</summary>
    public static string ActorName(ActorType type) => type switch
    {
        ActorType.Visitor => "visitor",
        ActorType.Agent => "agent",
        ActorType.Bot => "bot",
        ActorType.Integration => "integration",
        _ => "system",
    };

    private sealed record MessageBatch(MessageCreated[] Messages);
}
