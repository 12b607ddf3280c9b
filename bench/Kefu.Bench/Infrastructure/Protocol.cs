using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Bench.Infrastructure;

// The wire protocol as a third-party client sees it (docs/testing.md). Deliberately not shared
// with the server's types: the bench drives Kefu the way any client would.

public sealed record KefuError(string Code, string Message);

public sealed record HubResult<T>(bool Ok, T? Value, KefuError? Error);

public sealed record MessageDto(Guid Id, Guid ConversationId, long Seq, string ClientMessageId, string Sender, string? SenderName, string Text, DateTime CreatedAt);

public sealed record SendMessageResult(Guid MessageId, Guid ConversationId, long Seq, bool Duplicate, MessageDto Message);

public sealed record MessagePage(List<MessageDto> Messages, bool HasMore);

public sealed record VisitorConversation(Guid Id, string Status, long LastSeq, DateTime CreatedAt);

public sealed record WidgetSession(string Token, DateTime ExpiresAt, Guid ContactId, string InboxName);

public sealed record VisitorSend(Guid? ConversationId, string ClientMessageId, string? Text, Guid? AttachmentId);

public sealed record AgentSend(string ClientMessageId, string? Text, Guid? AttachmentId);

public static class Wire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
