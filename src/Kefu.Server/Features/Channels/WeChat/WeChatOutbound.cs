using System.Text;
using System.Text.Json.Nodes;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// Builds customer-service messages. WeChat shows no buttons, so a bot message's choices are appended as numbered
/// lines ("1. Talk to a person"); the customer answers with the number and <see cref="WeChatInbound"/> maps it back.
/// </summary>
internal static class WeChatOutbound
{
    /// <summary>The buttons a WeChat customer can answer by number, in order (surveys are answered elsewhere).</summary>
    public static IReadOnlyList<MessageAction> Choices(IReadOnlyList<MessageAction>? actions) =>
        actions?.Where(a => a.Kind is MessageAction.Choice or MessageAction.Feedback or MessageAction.Handoff).ToList() ?? [];

    /// <summary>The text to send: the message and its numbered choices.</summary>
    public static string Text(string text, IReadOnlyList<MessageAction>? actions)
    {
        var choices = Choices(actions);
        if (choices.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text).Append('\n');
        for (var i = 0; i < choices.Count; i++)
        {
            builder.Append('\n').Append(i + 1).Append(". ").Append(choices[i].Label);
        }

        return builder.ToString();
    }

    /// <summary>A text message to <paramref name="openId"/> (<c>msgtype: text</c>).</summary>
    public static JsonObject TextMessage(string openId, string content) => new()
    {
        ["touser"] = openId,
        ["msgtype"] = "text",
        ["text"] = new JsonObject { ["content"] = content },
    };
}
