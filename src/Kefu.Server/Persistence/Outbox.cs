using System.Text.Json;

namespace Kefu.Server.Persistence;

/// <summary>Creates outbox rows with one payload format.</summary>
internal static class Outbox
{
    /// <summary>A batch of <c>message.created</c> events of one tenant, stored as one row; consumers see them one by one.</summary>
    public const string MessagesCreated = "messages.created";

    /// <summary>The event consumers receive for each message of a <see cref="MessagesCreated"/> row.</summary>
    public const string MessageCreated = "message.created";

    public static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public static OutboxMessage Create(Guid tenantId, string type, Guid subjectId, DateTime now, object payload) => new()
    {
        TenantId = tenantId,
        Type = type,
        SubjectId = subjectId,
        Payload = JsonSerializer.Serialize(payload, PayloadJson),
        CreatedAt = now,
    };

    /// <summary>
    /// The events a row stands for: itself, or for a <see cref="MessagesCreated"/> row one
    /// <see cref="MessageCreated"/> event per message, with the row's id, tenant and time.
    /// </summary>
    public static IEnumerable<OutboxMessage> Expand(OutboxMessage row)
    {
        if (row.Type != MessagesCreated)
        {
            yield return row;
            yield break;
        }

        using var document = JsonDocument.Parse(row.Payload);
        foreach (var item in document.RootElement.GetProperty("messages").EnumerateArray())
        {
            yield return new OutboxMessage
            {
                Id = row.Id,
                TenantId = row.TenantId,
                Type = MessageCreated,
                SubjectId = item.GetProperty("conversationId").GetGuid(),
                Payload = item.GetRawText(),
                CreatedAt = row.CreatedAt,
                Attempts = row.Attempts,
            };
        }
    }
}
