using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.UnitTests.Conversations;

/// <summary>
/// The event catalogue is a contract with consumers (webhooks, reporting, the bot): every event the server can
/// raise is found by reflection, so an event added without a catalogue entry, a name or a JSON round trip fails here.
/// </summary>
public sealed partial class ConversationEventCatalogueTests
{
    private static readonly DateTime When = new(2026, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc);
    private static readonly string[] BaseFields = ["tenantId", "conversationId", "actor", "occurredAt"];

    public static TheoryData<string> EventTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in ConcreteEvents())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void Catalogue_ListsExactlyTheConcreteEventsOfTheServer()
    {
        var declared = ConcreteEvents().Select(NameOf).Order(StringComparer.Ordinal).ToList();

        Assert.True(declared.Count >= 12, $"Reflection found only {declared.Count} events: the scan is broken.");
        Assert.Equal(declared, ConversationEventCatalogue.Names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_IsRegisteredUnderItsName_AndItsTypeIsThatName(string typeName)
    {
        var type = EventType(typeName);
        var name = NameOf(type);

        Assert.Matches(NamePattern(), name);
        Assert.Equal(type, ConversationEventCatalogue.TypeOf(name));
        Assert.Equal(name, Sample(type, withTimelineOnly: true).Type);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_WithEveryFieldSet_RoundTripsThroughOutboxJson(string typeName)
    {
        var type = EventType(typeName);
        var sent = Sample(type, withTimelineOnly: true);
        foreach (var property in DataProperties(type))
        {
            Assert.False(IsDefault(property.GetValue(sent)), $"{type.Name}.{property.Name} has no sample value: the round trip would not prove it.");
        }

        var read = ConversationEventCatalogue.Read(sent.Type, ConversationEventCatalogue.ToOutboxJson(sent));

        // Timeline-only fields never reach consumers, so they come back empty; everything else comes back as sent.
        Assert.Equal(Sample(type, withTimelineOnly: false), read);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_OutboxJson_HasTheCommonFieldsAndNoTimelineOnlyField(string typeName)
    {
        var type = EventType(typeName);
        var json = JsonDocument.Parse(ConversationEventCatalogue.ToOutboxJson(Sample(type, withTimelineOnly: true))).RootElement;

        var expected = BaseFields.Concat(OwnProperties(type).Where(p => !IsTimelineOnly(p)).Select(p => JsonName(p.Name)));
        Assert.Equal(expected.Order(StringComparer.Ordinal), FieldsBesidesIgnored(json));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_TimelineJson_HasOnlyItsOwnFields_TimelineOnlyIncluded(string typeName)
    {
        var type = EventType(typeName);
        var json = JsonDocument.Parse(ConversationEventCatalogue.ToTimelineJson(Sample(type, withTimelineOnly: true))).RootElement;

        // Tenant, conversation, actor and time are columns of the timeline row: repeating them would only drift.
        Assert.Equal(
            OwnProperties(type).Select(p => JsonName(p.Name)).Order(StringComparer.Ordinal),
            FieldsBesidesIgnored(json));
    }

    [Fact]
    public void EventJson_LeavesOutTheFieldsTheBaseMarksJsonIgnore()
    {
        // Type and InTimeline are [JsonIgnore] on ConversationEvent; every event overrides Type, and System.Text.Json
        // reads the attribute from the override, so the mark must survive the override to keep them out of the contract.
        var offenders =
            from type in ConcreteEvents()
            let sample = Sample(type, withTimelineOnly: true)
            from form in new[] { ("outbox", ConversationEventCatalogue.ToOutboxJson(sample)), ("timeline", ConversationEventCatalogue.ToTimelineJson(sample)) }
            from field in JsonDocument.Parse(form.Item2).RootElement.EnumerateObject().Select(p => p.Name).Intersect(IgnoredFields(), StringComparer.Ordinal)
            select $"{NameOf(type)} {form.Item1}: {field}";

        Assert.Empty(offenders);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Event_Enums_AreWrittenAsSnakeCaseStrings(string typeName)
    {
        var type = EventType(typeName);
        var sent = Sample(type, withTimelineOnly: true);
        var json = JsonDocument.Parse(ConversationEventCatalogue.ToOutboxJson(sent)).RootElement;

        Assert.Equal(Snake(sent.Actor.Type), json.GetProperty("actor").GetProperty("type").GetString());
        foreach (var property in OwnProperties(type).Where(p => Unwrap(p.PropertyType).IsEnum))
        {
            Assert.Equal(Snake((Enum)property.GetValue(sent)!), json.GetProperty(JsonName(property.Name)).GetString());
        }
    }

    [Fact]
    public void Transferred_Note_IsInTheTimelineJson_AndNotInTheOutboxJson()
    {
        var transferred = new ConversationTransferred(Guid.CreateVersion7(), null, Guid.CreateVersion7(), "transfer", "VIP, angry about order 1234")
        {
            TenantId = Guid.CreateVersion7(), ConversationId = Guid.CreateVersion7(), Actor = Actor.Agent(Guid.CreateVersion7()), OccurredAt = When,
        };

        var outbox = JsonDocument.Parse(ConversationEventCatalogue.ToOutboxJson(transferred)).RootElement;
        var timeline = JsonDocument.Parse(ConversationEventCatalogue.ToTimelineJson(transferred)).RootElement;

        Assert.False(outbox.TryGetProperty("note", out _));
        Assert.Equal("transfer", outbox.GetProperty("reason").GetString());
        Assert.Equal("VIP, angry about order 1234", timeline.GetProperty("note").GetString());
        Assert.All(BaseFields, field => Assert.False(timeline.TryGetProperty(field, out _), $"timeline JSON repeats {field}"));
    }

    [Fact]
    public void Read_UnknownName_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => ConversationEventCatalogue.Read("conversation.exploded", "{}"));
        Assert.Throws<JsonException>(() => ConversationEventCatalogue.Read("conversation.exploded", JsonDocument.Parse("{}").RootElement));
        Assert.Null(ConversationEventCatalogue.TypeOf("conversation.exploded"));
    }

    private static List<Type> ConcreteEvents() =>
        [.. typeof(ConversationEvent).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(ConversationEvent)))];

    private static Type EventType(string fullName) => ConcreteEvents().Single(t => t.FullName == fullName);

    private static string NameOf(Type type)
    {
        var field = type.GetField("Name", BindingFlags.Public | BindingFlags.Static);
        Assert.True(field is { IsLiteral: true } && field.FieldType == typeof(string), $"{type.Name} has no public const string Name.");
        return (string)field.GetRawConstantValue()!;
    }

    /// <summary>Properties declared by the event itself (the common ones live on <see cref="ConversationEvent"/>).</summary>
    private static IEnumerable<PropertyInfo> OwnProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType != typeof(ConversationEvent) && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.Name != "EqualityContract");

    private static IEnumerable<PropertyInfo> DataProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.Name != "EqualityContract");

    /// <summary>The base's [JsonIgnore] properties, in JSON spelling: <c>type</c>, <c>inTimeline</c>.</summary>
    private static IEnumerable<string> IgnoredFields() =>
        typeof(ConversationEvent).GetProperties().Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not null).Select(p => JsonName(p.Name));

    /// <summary>The JSON's field names, without the base's [JsonIgnore] ones (their own test covers those).</summary>
    private static IEnumerable<string> FieldsBesidesIgnored(JsonElement json) =>
        json.EnumerateObject().Select(p => p.Name).Except(IgnoredFields(), StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static bool IsTimelineOnly(PropertyInfo property) => property.IsDefined(typeof(TimelineOnlyAttribute), inherit: true);

    /// <summary>
    /// An instance with a deterministic, non-default value in every field; with <paramref name="withTimelineOnly"/>
    /// false, timeline-only fields stay null (what a consumer reads back).
    /// </summary>
    private static ConversationEvent Sample(Type type, bool withTimelineOnly)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p =>
            !withTimelineOnly && type.GetProperty(p.Name!) is { } property && IsTimelineOnly(property) ? null : Value(p.ParameterType, p.Name!));
        var e = (ConversationEvent)constructor.Invoke([.. arguments]);
        foreach (var property in typeof(ConversationEvent).GetProperties().Where(p => p.CanWrite))
        {
            property.SetValue(e, Value(property.PropertyType, property.Name));
        }

        return e;
    }

    private static object Value(Type declared, string name)
    {
        var type = Unwrap(declared);
        return type switch
        {
            _ when type == typeof(Guid) => DeterministicGuid(name),
            _ when type == typeof(string) => $"{name} sample",
            _ when type == typeof(bool) => true,
            _ when type == typeof(int) => 7,
            _ when type == typeof(long) => 42L,
            _ when type == typeof(DateTime) => When,
            _ when type == typeof(Actor) => new Actor(ActorType.Integration, DeterministicGuid("actor")),
            { IsEnum: true } => Enum.GetValues(type).Cast<object>().Last(),
            _ => throw new InvalidOperationException($"No sample value for {type.Name} ({name}): add one so the round trip covers it."),
        };
    }

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static bool IsDefault(object? value) =>
        value is null || (value.GetType().IsValueType && value.Equals(Activator.CreateInstance(value.GetType())));

    private static Guid DeterministicGuid(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));

    private static string JsonName(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);

    private static string Snake(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    [GeneratedRegex("^[a-z_]+\\.[a-z_]+$")]
    private static partial Regex NamePattern();
}
