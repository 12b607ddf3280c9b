namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Which conversations a list shows.</summary>
public enum ConversationFilter
{
    /// <summary>Open, pending and snoozed.</summary>
    Open,

    /// <summary>Resolved only.</summary>
    Resolved,

    /// <summary>Everything.</summary>
    All,
}
