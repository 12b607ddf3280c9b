using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>
    /// Adds one outbox row per workspace for a batch of committed-together messages. The row holds the workspace and
    /// the time once, and each message in a compact form (single-letter fields, enums as numbers, source-generated
    /// JSON): a full group commit is hundreds of messages on the writer's hot path.
    /// </summary>
    public static void AppendMessages(KefuDbContext db, IEnumerable<MessageCreated> messages, DateTime now)
    {
        foreach (var tenant in messages.GroupBy(m => m.TenantId))
        {
            var items = tenant.Select(m => new MessageItem(m.ConversationId, m.MessageId, m.Seq, m.Sender, m.Handler, m.InboxId, m.ContactId, m.Actor.Type, m.Actor.Id));
            db.Outbox.Add(new OutboxMessage
            {
                TenantId = tenant.Key,
                Type = MessagesCreatedBatch,
                SubjectId = tenant.Key,
                Payload = JsonSerializer.Serialize(new MessageBatch([.. items]), JournalJson.Default.MessageBatch),
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

        var batch = JsonSerializer.Deserialize(row.Payload, JournalJson.Default.MessageBatch) ?? throw new JsonException("Empty message batch.");
        return [.. batch.M.Select(i => new MessageCreated(i.M, i.S, i.F, i.H, i.I, i.P)
        {
            TenantId = row.TenantId, ConversationId = i.C, Actor = new Actor(i.T, i.A), OccurredAt = row.CreatedAt,
        })];
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

}

/// <summary>A batch row's payload: the messages of one workspace committed together.</summary>
/// <param name="M">The messages.</param>
internal sealed record MessageBatch(MessageItem[] M);

/// <summary>One <see cref="MessageCreated"/> without what its batch row holds (workspace, time).</summary>
internal sealed record MessageItem(Guid C, Guid M, long S, SenderType F, ConversationHandler H, Guid I, Guid P, ActorType T, Guid? A);

/// <summary>Source-generated JSON for batch rows: no reflection on the hot path.</summary>
[JsonSerializable(typeof(MessageBatch))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class JournalJson : JsonSerializerContext;
