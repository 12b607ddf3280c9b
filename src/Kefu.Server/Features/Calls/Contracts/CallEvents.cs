using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Calls.Contracts;

/// <summary>A side asked for a call in a conversation (an agent offered, a visitor requested).</summary>
/// <param name="CallId">The call.</param>
/// <param name="Media">Voice, video or screen.</param>
public sealed record CallRequested(Guid CallId, CallMedia Media) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "call.requested";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>The other side accepted: the call is live.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Media">Voice, video or screen.</param>
public sealed record CallStarted(Guid CallId, CallMedia Media) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "call.started";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>A call ended (declined, hung up, missed, failed); <see cref="DurationSeconds"/> is talk time, 0 when it never started.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Media">Voice, video or screen.</param>
/// <param name="DurationSeconds">Seconds from accept to end; 0 for a call that was never accepted.</param>
/// <param name="Reason">One of <see cref="CallEndReasons"/>.</param>
public sealed record CallEnded(Guid CallId, CallMedia Media, int DurationSeconds, string Reason) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "call.ended";

    /// <inheritdoc />
    public override string Type => Name;
}

/// <summary>Why a call ended (the <see cref="CallEnded.Reason"/> values).</summary>
public static class CallEndReasons
{
    /// <summary>The called side said no.</summary>
    public const string Declined = "declined";

    /// <summary>A side hung up (before or after it was answered).</summary>
    public const string HungUp = "hung_up";

    /// <summary>Nobody answered within <c>Kefu:Calls:RingTimeout</c>.</summary>
    public const string Missed = "missed";

    /// <summary>The connection could not be (re)established.</summary>
    public const string Failed = "failed";

    /// <summary>A participant's last hub connection went away and did not come back within <c>Kefu:Calls:ReconnectGrace</c> (also a sign-out).</summary>
    public const string Disconnected = "disconnected";

    /// <summary>The conversation was resolved during the call.</summary>
    public const string ConversationResolved = "conversation_resolved";

    /// <summary>The conversation went to another agent (or back to a queue): the new assignee does not inherit the call.</summary>
    public const string Transferred = "transferred";

    /// <summary>The conversation was deleted (a contact's erasure, retention); no <c>call.ended</c> is written, the timeline is gone.</summary>
    public const string ConversationDeleted = "conversation_deleted";
}
