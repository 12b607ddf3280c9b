namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>A typed, expected failure. Hubs return it in <see cref="HubResult{T}"/>; HTTP maps it to problem details.</summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>conversation_not_found</c>.</param>
/// <param name="Message">English explanation for developers; clients show their own localized text per code.</param>
public sealed record KefuError(string Code, string Message)
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

    /// <summary>The request is missing or malformed.</summary>
    public static readonly KefuError InvalidRequest = new("invalid_request", "The request is missing or malformed.");

    /// <summary>A paging argument out of range.</summary>
    public static readonly KefuError InvalidRange = new("invalid_range", "afterSeq must be >= 0 and limit between 1 and 500.");
}

/// <summary>The result of a hub call: either <see cref="Value"/> or <see cref="Error"/>.</summary>
/// <typeparam name="T">Value type.</typeparam>
/// <param name="Ok">True on success.</param>
/// <param name="Value">The value when <see cref="Ok"/>.</param>
/// <param name="Error">The typed error when not <see cref="Ok"/>.</param>
public sealed record HubResult<T>(bool Ok, T? Value, KefuError? Error)
{
    /// <summary>Success.</summary>
    public static HubResult<T> Success(T value) => new(true, value, null);

    /// <summary>Failure.</summary>
    public static HubResult<T> Failure(KefuError error) => new(false, default, error);
}
