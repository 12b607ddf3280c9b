namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Where a conversation stands, as integrators know it.</summary>
public enum ConversationStatus
{
    /// <summary>Waiting for or in conversation with the business.</summary>
    Open,

    /// <summary>Waiting for the customer.</summary>
    Pending,

    /// <summary>Put aside until a time.</summary>
    Snoozed,

    /// <summary>Done; a new visitor message reopens it.</summary>
    Resolved,
}

/// <summary>Who holds a conversation right now.</summary>
public enum ConversationHandler
{
    /// <summary>The bot answers.</summary>
    Bot,

    /// <summary>Waiting for a person.</summary>
    Queue,

    /// <summary>An agent holds it.</summary>
    Agent,
}

/// <summary>Urgency of a conversation.</summary>
public enum ConversationPriority
{
    /// <summary>Low.</summary>
    Low,

    /// <summary>Normal (default).</summary>
    Normal,

    /// <summary>High.</summary>
    High,

    /// <summary>Urgent.</summary>
    Urgent,
}

/// <summary>Who wrote a message.</summary>
public enum SenderType
{
    /// <summary>The customer, through the widget or another channel.</summary>
    Visitor,

    /// <summary>A person of the business.</summary>
    Agent,

    /// <summary>The bot.</summary>
    Bot,

    /// <summary>Kefu itself (notices such as "conversation resolved").</summary>
    System,
}
