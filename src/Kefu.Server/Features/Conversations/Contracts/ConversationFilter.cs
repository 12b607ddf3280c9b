namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Which conversations a list shows.</summary>
public enum ConversationFilter
{
    /// <summary>Open: neither resolved nor put aside (snoozed, or pending on the customer).</summary>
    Open,

    /// <summary>Resolved only.</summary>
    Resolved,

    /// <summary>Everything.</summary>
    All,

    /// <summary>Snoozed until a time or the customer's reply.</summary>
    Snoozed,

    /// <summary>Waiting on the customer.</summary>
    Pending,
}
