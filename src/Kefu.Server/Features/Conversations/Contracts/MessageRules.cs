namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Limits every channel applies to a message before anything is stored.</summary>
public static class MessageRules
{
    /// <summary>Longest message text, in UTF-16 code units.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>Longest client message id.</summary>
    public const int MaxClientMessageIdLength = 64;
}
