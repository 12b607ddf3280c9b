using System.Text.Json;

namespace Kefu.Server.Persistence;

/// <summary>Creates outbox rows with one payload format.</summary>
internal static class Outbox
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public static OutboxMessage Create(Guid tenantId, string type, Guid subjectId, DateTime now, object payload) => new()
    {
        TenantId = tenantId,
        Type = type,
        SubjectId = subjectId,
        Payload = JsonSerializer.Serialize(payload, PayloadJson),
        CreatedAt = now,
    };
}
