using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Calls.Contracts;

/// <summary>What a call carries.</summary>
public enum CallMedia
{
    /// <summary>Audio only.</summary>
    Voice,

    /// <summary>Audio and camera on both sides.</summary>
    Video,

    /// <summary>The visitor shows their screen (with audio both ways); the agent sends audio only.</summary>
    Screen,
}

/// <summary>A call's place in its state machine: requested → ringing → active → ended (ended from any of them).</summary>
public enum CallState
{
    /// <summary>Created; the other side has not been reached yet.</summary>
    Requested,

    /// <summary>The other side was told and may accept or decline.</summary>
    Ringing,

    /// <summary>Accepted: media flows (or is being negotiated).</summary>
    Active,

    /// <summary>Over; signals for it are refused with <c>call_ended</c>.</summary>
    Ended,
}

/// <summary>Which side of a conversation a call participant is.</summary>
public enum CallSide
{
    /// <summary>The customer in the widget.</summary>
    Visitor,

    /// <summary>The agent in the console or an agent app.</summary>
    Agent,
}

/// <summary>A call as both sides see it (<c>CallUpdated</c> on both hubs).</summary>
/// <param name="Id">The call.</param>
/// <param name="ConversationId">The conversation it belongs to.</param>
/// <param name="Media">Voice, video or screen.</param>
/// <param name="State">Where it is in its state machine.</param>
/// <param name="StartedBy">The side that offered or requested it (that side sends the first SDP offer).</param>
/// <param name="CreatedAt">When it was requested, UTC.</param>
/// <param name="StartedAt">When it was accepted, UTC.</param>
/// <param name="EndedAt">When it ended, UTC.</param>
/// <param name="EndReason"><c>declined</c>, <c>hung_up</c>, <c>missed</c> or <c>failed</c> once ended.</param>
/// <param name="EndedBy">The side that ended it (null when Kefu did: missed).</param>
public sealed record CallDto(
    Guid Id, Guid ConversationId, CallMedia Media, CallState State, CallSide StartedBy,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? EndedAt, string? EndReason, CallSide? EndedBy);

/// <summary>A WebRTC signalling message relayed to the other side of a call (<c>CallSignal</c> on both hubs).</summary>
/// <param name="CallId">The call.</param>
/// <param name="Kind"><c>offer</c>, <c>answer</c> or <c>ice</c> (see <see cref="CallSignalKinds"/>).</param>
/// <param name="Payload">The SDP, or the ICE candidate as JSON; opaque to Kefu.</param>
public sealed record CallSignalEvent(Guid CallId, string Kind, string Payload);

/// <summary>The signal kinds a client may send; anything else is <c>invalid_request</c>.</summary>
public static class CallSignalKinds
{
    /// <summary>An SDP offer (the first one, or an ICE restart).</summary>
    public const string Offer = "offer";

    /// <summary>An SDP answer.</summary>
    public const string Answer = "answer";

    /// <summary>One ICE candidate (JSON of <c>RTCIceCandidateInit</c>).</summary>
    public const string Ice = "ice";

    /// <summary>True for a kind Kefu relays.</summary>
    public static bool IsKnown(string? kind) => kind is Offer or Answer or Ice;
}

/// <summary>One ICE server for <c>RTCPeerConnection</c>.</summary>
/// <param name="Urls"><c>stun:</c> or <c>turn:</c> URLs.</param>
/// <param name="Username">TURN: <c>expiry:id</c> (the coturn REST scheme).</param>
/// <param name="Credential">TURN: base64(HMAC-SHA1(secret, username)).</param>
public sealed record IceServerDto(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);

/// <summary>What a client needs to build its peer connection.</summary>
/// <param name="IceServers">STUN and TURN servers, TURN with credentials valid until <paramref name="ExpiresAt"/>.</param>
/// <param name="RelayOnly">True: use only TURN relays (<c>iceTransportPolicy: "relay"</c>), never host or reflexive candidates.</param>
/// <param name="ExpiresAt">When the TURN credentials stop working, UTC.</param>
/// <param name="VisitorsMayRequest">True when a visitor may start a call (any kind; for a visitor, in their inbox).</param>
/// <param name="VisitorMedia">Which calls a visitor may start: for a visitor, their inbox's setting; for an agent, the server's.</param>
public sealed record IceConfigDto(IReadOnlyList<IceServerDto> IceServers, bool RelayOnly, DateTime ExpiresAt, bool VisitorsMayRequest, VisitorCallMedia VisitorMedia);

/// <summary>Typed failures of call signalling (hub errors; clients show their own text per code).</summary>
public static class CallErrors
{
    /// <summary>No such call, or not one of the caller's (the same answer, so ids cannot be probed).</summary>
    public static readonly KefuError CallNotFound = new("call_not_found", "Call not found.");

    /// <summary>The call is over; its signals are not relayed any more.</summary>
    public static readonly KefuError CallEnded = new("call_ended", "The call has ended.");

    /// <summary>The conversation already has a call that is ringing or active.</summary>
    public static readonly KefuError CallBusy = new("call_busy", "This conversation already has a call.");

    /// <summary>The action does not fit the call's state (accepting an active call, a caller accepting their own).</summary>
    public static readonly KefuError InvalidState = new("call_invalid_state", "The call is not in a state that allows this.");

    /// <summary>Visitors may not start calls here, or calls are turned off.</summary>
    public static readonly KefuError CallsNotAllowed = new("calls_not_allowed", "Calls are not available here.");

    /// <summary>Nobody to ring: the conversation has no agent.</summary>
    public static readonly KefuError NoAgent = new("call_no_agent", "No agent is handling this conversation yet.");

    /// <summary>The conversation is resolved: calls happen in open conversations only.</summary>
    public static readonly KefuError ConversationClosed = new("call_conversation_closed", "The conversation is resolved.");

    /// <summary>An SDP or candidate larger than <c>Kefu:Calls:MaxSignalBytes</c>.</summary>
    public static readonly KefuError SignalTooLarge = new("call_signal_too_large", "The signalling message is too large.");

    /// <summary>This connection offered or requested more calls than <c>Kefu:Calls:StartsPerMinute</c> allows.</summary>
    public static readonly KefuError RateLimited = new("call_rate_limited", "Too many calls started; try again in a minute.");
}

/// <summary>The calls a widget inbox's visitors may start (agents may always offer any).</summary>
/// <param name="VisitorVoice">Visitors may request a voice call.</param>
/// <param name="VisitorVideo">Visitors may request a video call.</param>
/// <param name="VisitorScreen">Visitors may share their screen.</param>
/// <param name="UsesServerDefault">True when the inbox has no setting of its own: the three follow <c>Kefu:Calls:VisitorsMayRequest</c>.</param>
/// <param name="CallsEnabled"><c>Kefu:Calls:Enabled</c>: false means no calls at all, whatever the inbox says.</param>
public sealed record InboxCallSettingsDto(bool VisitorVoice, bool VisitorVideo, bool VisitorScreen, bool UsesServerDefault, bool CallsEnabled);

/// <summary>New call settings for a widget inbox.</summary>
/// <param name="VisitorVoice">Visitors may request a voice call.</param>
/// <param name="VisitorVideo">Visitors may request a video call.</param>
/// <param name="VisitorScreen">Visitors may share their screen.</param>
/// <param name="UseServerDefault">True: forget the inbox's own setting and follow the server's (the three flags are ignored).</param>
public sealed record UpdateInboxCallSettingsRequest(bool VisitorVoice, bool VisitorVideo, bool VisitorScreen, bool UseServerDefault = false);

/// <summary>What a visitor may start in their inbox.</summary>
/// <param name="Voice">A voice call.</param>
/// <param name="Video">A video call.</param>
/// <param name="Screen">A screen share.</param>
public sealed record VisitorCallMedia(bool Voice, bool Video, bool Screen)
{
    /// <summary>Nothing.</summary>
    public static readonly VisitorCallMedia None = new(false, false, false);

    /// <summary>All three or none.</summary>
    public static VisitorCallMedia All(bool allowed) => new(allowed, allowed, allowed);

    /// <summary>True when <paramref name="media"/> is allowed.</summary>
    public bool Allows(CallMedia media) => media switch
    {
        CallMedia.Voice => Voice,
        CallMedia.Video => Video,
        CallMedia.Screen => Screen,
        _ => false,
    };

    /// <summary>True when any call is allowed.</summary>
    public bool Any => Voice || Video || Screen;
}

/// <summary>Failures of the inbox call settings endpoints.</summary>
public static class CallSettingsErrors
{
    /// <summary>The caller may not change settings.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "You may not change inbox settings.");

    /// <summary>No such widget inbox in the caller's workspace (also another workspace's, a deleted one, or a non-widget inbox).</summary>
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "Inbox not found.");
}
