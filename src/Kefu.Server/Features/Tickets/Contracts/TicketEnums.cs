namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>Where a ticket is in its life. Which moves are allowed is <c>TicketTransitions</c>' one table.</summary>
public enum TicketStatus
{
    /// <summary>Created, nobody has worked it yet.</summary>
    New,

    /// <summary>Being worked by the business.</summary>
    Open,

    /// <summary>Waiting for the customer; their answer opens it again.</summary>
    Pending,

    /// <summary>Waiting for a third party; SLA clocks keep running.</summary>
    OnHold,

    /// <summary>Answered; closes by itself after the configured days unless the customer answers.</summary>
    Solved,

    /// <summary>Done for good: a later reply opens a follow-up ticket linked to it.</summary>
    Closed,
}

/// <summary>How urgent a ticket is; SLA policies are chosen by it.</summary>
public enum TicketPriority
{
    /// <summary>Can wait.</summary>
    Low,

    /// <summary>The default.</summary>
    Normal,

    /// <summary>Soon.</summary>
    High,

    /// <summary>Now.</summary>
    Urgent,
}

/// <summary>What kind of request a ticket is.</summary>
public enum TicketType
{
    /// <summary>A question.</summary>
    Question,

    /// <summary>Something is broken for this customer.</summary>
    Incident,

    /// <summary>The cause behind several incidents.</summary>
    Problem,

    /// <summary>Work to do.</summary>
    Task,
}

/// <summary>Where a ticket came from.</summary>
public enum TicketSource
{
    /// <summary>The REST API.</summary>
    Api,

    /// <summary>An agent in the console, for a customer.</summary>
    Agent,

    /// <summary>A conversation (its link and transcript kept).</summary>
    Conversation,

    /// <summary>The widget's "leave a message" form.</summary>
    OfflineMessage,

    /// <summary>A low survey score.</summary>
    LowScore,

    /// <summary>An e-mail (the email channel, through <see cref="ITicketReplies"/>).</summary>
    Email,

    /// <summary>A customer's reply to a closed ticket.</summary>
    FollowUp,
}

/// <summary>A line of a ticket's thread.</summary>
public enum TicketEntryKind
{
    /// <summary>A public reply: the customer sees it.</summary>
    Reply,

    /// <summary>An internal note: agents only.</summary>
    Note,

    /// <summary>The customer wrote.</summary>
    Customer,

    /// <summary>A message of the conversation the ticket was made from, copied when it was made.</summary>
    Transcript,
}

/// <summary>The three SLA targets, as flags so a ticket records which it was warned about and which it breached.</summary>
[Flags]
public enum SlaTargets
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>The first public reply.</summary>
    FirstReply = 1,

    /// <summary>The next public reply after the customer wrote.</summary>
    NextReply = 2,

    /// <summary>Solved.</summary>
    Resolution = 4,
}
