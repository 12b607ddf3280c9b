namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Limits every channel applies to a message before anything is stored.</summary>
public static class MessageRules
{
    /// <summary>Longest message text, in UTF-16 code units.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>Longest client message id.</summary>
    public const int MaxClientMessageIdLength = 64;

    /// <summary>
    /// The cleaning every typed message gets (control characters removed, line endings normalised, trimmed, length
    /// checked), for text another feature writes on someone's behalf, such as an LLM's answer: null when nothing is left
    /// or it is too long.
    /// </summary>
    public static string? Clean(string? text) => MessageInput.CleanText(text, hasAttachment: false).Text;
}
