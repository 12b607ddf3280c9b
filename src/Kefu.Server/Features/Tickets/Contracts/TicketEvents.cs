using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Tickets.Contracts;

// Ticket events travel on the durable lane with the conversation events (one outbox, one catalogue, one webhook list).
// They are outbox-only: a ticket is not a conversation, so there is no timeline row; ConversationId carries the
// ticket's linked conversation, or Guid.Empty when it has none, and TicketId names the ticket.

/// <summary>A ticket was created.</summary>
/// <param name="TicketId">The ticket.</param>
/// <param name="Number">Its number.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Priority">Its priority.</param>
public sealed record TicketCreated(Guid TicketId, long Number, TicketSource Source, TicketPriority Priority) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "ticket.created";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;
}

/// <summary>A ticket's status changed.</summary>
/// <param name="TicketId">The ticket.</param>
/// <param name="From">The status before.</param>
/// <param name="To">The status now.</param>
public sealed record TicketStatusChanged(Guid TicketId, TicketStatus From, TicketStatus To) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "ticket.status_changed";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;
}

/// <summary>An SLA target of a ticket is near (the policy's warning time before it). Recorded by the SLA sweep, once per target.</summary>
/// <param name="TicketId">The ticket.</param>
/// <param name="Target">The target.</param>
/// <param name="DueAt">When it is due.</param>
public sealed record TicketSlaWarning(Guid TicketId, SlaTargets Target, DateTime DueAt) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "ticket.sla_warning";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;
}

/// <summary>An SLA target of a ticket passed unmet. Recorded by the SLA sweep, once per target.</summary>
/// <param name="TicketId">The ticket.</param>
/// <param name="Target">The target.</param>
/// <param name="DueAt">When it was due.</param>
public sealed record TicketSlaBreached(Guid TicketId, SlaTargets Target, DateTime DueAt) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "ticket.sla_breached";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;
}

/// <summary>A ticket was merged into another.</summary>
/// <param name="TicketId">The merged ticket.</param>
/// <param name="IntoId">The survivor.</param>
public sealed record TicketMerged(Guid TicketId, Guid IntoId) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "ticket.merged";

    /// <inheritdoc />
    public override string Type => Name;

    /// <inheritdoc />
    public override bool InTimeline => false;
}
