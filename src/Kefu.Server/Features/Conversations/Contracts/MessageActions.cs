using System.Text.Json;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Stores a message's buttons as a small JSON column and reads them back.</summary>
internal static class MessageActions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Write(IReadOnlyList<MessageAction>? actions) =>
        actions is null || actions.Count == 0 ? null : JsonSerializer.Serialize(actions, Json);

    public static IReadOnlyList<MessageAction>? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<MessageAction>>(json, Json);
        }
        catch (JsonException)
        {
            // A damaged column must not hide the message itself: show it without buttons.
            return null;
        }
    }
}
