using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>
/// Every <see cref="ConversationEvent"/> by name, and the one JSON form they are stored and delivered in
/// (camelCase, enums as strings). The outbox form leaves out <see cref="TimelineOnlyAttribute"/> fields.
/// </summary>
public static class ConversationEventCatalogue
{
    private static readonly FrozenDictionary<string, Type> ByName = new Dictionary<string, Type>
    {
        [ConversationCreated.Name] = typeof(ConversationCreated),
        [MessageCreated.Name] = typeof(MessageCreated),
        [ConversationReopened.Name] = typeof(ConversationReopened),
        [ConversationResolved.Name] = typeof(ConversationResolved),
        [ConversationHandedOff.Name] = typeof(ConversationHandedOff),
        [ConversationQueued.Name] = typeof(ConversationQueued),
        [ConversationOffered.Name] = typeof(ConversationOffered),
        [ConversationAssigned.Name] = typeof(ConversationAssigned),
        [ConversationTransferred.Name] = typeof(ConversationTransferred),
        [ConversationLeftMessage.Name] = typeof(ConversationLeftMessage),
        [ConversationPriorityChanged.Name] = typeof(ConversationPriorityChanged),
        [OfferExpired.Name] = typeof(OfferExpired),
        [OfferDeclined.Name] = typeof(OfferDeclined),
        [ConversationDeleted.Name] = typeof(ConversationDeleted),
        [ConversationAnonymised.Name] = typeof(ConversationAnonymised),
        [AutomationApplied.Name] = typeof(AutomationApplied),
        [AutomationWebhookRequested.Name] = typeof(AutomationWebhookRequested),
        [NoteCreated.Name] = typeof(NoteCreated),
        [ConversationSnoozed.Name] = typeof(ConversationSnoozed),
        [ConversationPending.Name] = typeof(ConversationPending),
        [ConversationOpened.Name] = typeof(ConversationOpened),
        [SurveyAnswered.Name] = typeof(SurveyAnswered),
        [Tickets.Contracts.TicketCreated.Name] = typeof(Tickets.Contracts.TicketCreated),
        [Tickets.Contracts.TicketStatusChanged.Name] = typeof(Tickets.Contracts.TicketStatusChanged),
        [Tickets.Contracts.TicketSlaWarning.Name] = typeof(Tickets.Contracts.TicketSlaWarning),
        [Tickets.Contracts.TicketSlaBreached.Name] = typeof(Tickets.Contracts.TicketSlaBreached),
        [Tickets.Contracts.TicketMerged.Name] = typeof(Tickets.Contracts.TicketMerged),
        [Calls.Contracts.CallRequested.Name] = typeof(Calls.Contracts.CallRequested),
        [Calls.Contracts.CallStarted.Name] = typeof(Calls.Contracts.CallStarted),
        [Calls.Contracts.CallEnded.Name] = typeof(Calls.Contracts.CallEnded),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The timeline form: the event's own fields, people's notes included; tenant, conversation, actor and time are columns of the row.</summary>
    public static readonly JsonSerializerOptions TimelineJson = Options(timeline: true);

    /// <summary>The durable form consumers receive: no free text written by people.</summary>
    public static readonly JsonSerializerOptions OutboxJson = Options(timeline: false);

    /// <summary>Every event name.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The record type of an event name, or null for a name the catalogue does not know.</summary>
    public static Type? TypeOf(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The durable (outbox) JSON of an event.</summary>
    public static string ToOutboxJson(ConversationEvent e) => JsonSerializer.Serialize(e, e.GetType(), OutboxJson);

    /// <summary>The timeline JSON of an event.</summary>
    public static string ToTimelineJson(ConversationEvent e) => JsonSerializer.Serialize(e, e.GetType(), TimelineJson);

    /// <summary>Reads an event back from its name and JSON.</summary>
    /// <exception cref="JsonException">The name is unknown or the JSON does not fit the record.</exception>
    public static ConversationEvent Read(string name, string json) =>
        TypeOf(name) is { } type
            ? (ConversationEvent)(JsonSerializer.Deserialize(json, type, OutboxJson) ?? throw new JsonException($"Empty event {name}."))
            : throw new JsonException($"Unknown event type {name}.");

    /// <summary>Reads an event from a JSON element (an item of a batched row).</summary>
    public static ConversationEvent Read(string name, JsonElement json) =>
        TypeOf(name) is { } type
            ? (ConversationEvent)(json.Deserialize(type, OutboxJson) ?? throw new JsonException($"Empty event {name}."))
            : throw new JsonException($"Unknown event type {name}.");

    private static JsonSerializerOptions Options(bool timeline)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (!typeof(ConversationEvent).IsAssignableFrom(info.Type))
            {
                return;
            }

            foreach (var property in info.Properties)
            {
                // [JsonIgnore] on the base's Type and InTimeline does not reach the records' overrides.
                var member = property.AttributeProvider as MemberInfo;
                if (member is not null && typeof(ConversationEvent).GetProperty(member.Name)?.IsDefined(typeof(JsonIgnoreAttribute)) == true)
                {
                    property.ShouldSerialize = static (_, _) => false;
                    continue;
                }

                var leaveOut = timeline
                    ? member?.DeclaringType == typeof(ConversationEvent)
                    : property.AttributeProvider?.IsDefined(typeof(TimelineOnlyAttribute), inherit: true) == true;
                if (leaveOut)
                {
                    property.ShouldSerialize = static (_, _) => false;
                }
            }
        });

        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = resolver };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly();
        return options;
    }
}
