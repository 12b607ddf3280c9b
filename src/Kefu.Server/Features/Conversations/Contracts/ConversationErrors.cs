using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>The expected failures of conversations and messages.</summary>
public static class ConversationErrors
{
    /// <summary>Text is empty or only whitespace, and there is no attachment.</summary>
    public static readonly KefuError TextEmpty = new("text_empty", "The message has no text and no attachment.");

    /// <summary>Text longer than <see cref="MessageRules.MaxTextLength"/>.</summary>
    public static readonly KefuError TextTooLong = new("text_too_long", $"The message is longer than {MessageRules.MaxTextLength} characters.");

    /// <summary>Client message id missing, too long or with characters outside [A-Za-z0-9._:-].</summary>
    public static readonly KefuError InvalidClientMessageId = new("invalid_client_message_id", "clientMessageId must be 1-64 characters of letters, digits, '.', '_', ':' or '-'.");

    /// <summary>Unknown conversation, or one the caller may not see (never tells which).</summary>
    public static readonly KefuError ConversationNotFound = new("conversation_not_found", "No such conversation.");

    /// <summary>Unknown attachment, or one the caller did not upload.</summary>
    public static readonly KefuError AttachmentNotFound = new("attachment_not_found", "No such attachment.");

    /// <summary>Unknown bot message or button, or one in a conversation the caller may not see.</summary>
    public static readonly KefuError ActionNotFound = new("action_not_found", "No such button on this message.");
}
