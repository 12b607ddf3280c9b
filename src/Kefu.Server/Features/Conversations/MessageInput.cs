using System.Text;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations;

/// <summary>Validates and cleans what a client sends, before anything touches the database.</summary>
internal static class MessageInput
{
    /// <summary>
    /// Returns the text to store, or an error. Control characters other than tab and line breaks
    /// are removed (they break terminals, logs and some renderers); line endings become \n;
    /// surrounding whitespace is trimmed. Markup is kept as typed: clients render it as text.
    /// </summary>
    public static (string? Text, KefuError? Error) CleanText(string? text, bool hasAttachment)
    {
        if (text is { Length: > MessageRules.MaxTextLength * 2 })
        {
            return (null, ConversationErrors.TextTooLong);
        }

        var cleaned = Clean(text ?? "");
        if (cleaned.Length == 0 && !hasAttachment)
        {
            return (null, ConversationErrors.TextEmpty);
        }

        return cleaned.Length > MessageRules.MaxTextLength ? (null, ConversationErrors.TextTooLong) : (cleaned, null);
    }

    public static bool IsValidClientMessageId(string? id)
    {
        // "bot:" and "act:" ids are the server's own (bot replies, button presses): a client using them
        // could turn the bot's reply into a no-op or fake a button press.
        if (string.IsNullOrEmpty(id) || id.Length > MessageRules.MaxClientMessageIdLength ||
            id.StartsWith("bot:", StringComparison.Ordinal) || id.StartsWith("act:", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>First line of a text, shortened for conversation lists.</summary>
    public static string Preview(string text, bool hasAttachment)
    {
        if (text.Length == 0)
        {
            return hasAttachment ? "📎" : "";
        }

        var line = text.AsSpan();
        var newline = line.IndexOf('\n');
        if (newline >= 0)
        {
            line = line[..newline];
        }

        return line.Length <= 120 ? line.ToString() : string.Concat(line[..119], "…");
    }

    private static string Clean(string text)
    {
        var needsWork = false;
        foreach (var c in text)
        {
            if (char.IsControl(c) && c != '\n' || c == '\uFFFD')
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return text.Trim();
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                builder.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (c is '\n' or '\t' || !char.IsControl(c) && c != '\uFFFD')
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }
}
