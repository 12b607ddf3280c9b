using System.Text.Json;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Routing;

/// <summary>Writes a routing step to the conversation's timeline and the outbox, in the caller's transaction.</summary>
internal static class RoutingTimeline
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="data">Ids and reasons only: it is also the outbox payload.</param>
    public static void Add(KefuDbContext db, Guid tenantId, Guid conversationId, string type, string actorType, Guid? actorId, DateTime now, object data)
    {
        db.ConversationEvents.Add(new ConversationEvent
        {
            TenantId = tenantId, ConversationId = conversationId, Type = type, ActorType = actorType, ActorId = actorId,
            Data = JsonSerializer.Serialize(data, Json), CreatedAt = now,
        });
        db.Outbox.Add(Outbox.Create(tenantId, type, conversationId, now, data));
    }
}
