using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Calls;

/// <summary>Voice and video calls, section <c>Kefu:Calls</c> (docs/calls.md).</summary>
public sealed class CallsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Calls";

    /// <summary>Calls at all: false hides the call buttons and refuses every call with <c>calls_not_allowed</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether a visitor may start a call (agents always may offer one).</summary>
    public bool VisitorsMayRequest { get; set; } = true;

    /// <summary>STUN URLs given to both sides, e.g. <c>stun:stun.example.com:3478</c>. Empty: none.</summary>
    public string[] StunUrls { get; set; } = [];

    /// <summary>TURN URLs, e.g. <c>turn:turn.example.com:3478?transport=udp</c>. Empty: no relay.</summary>
    public string[] TurnUrls { get; set; } = [];

    /// <summary>coturn's <c>static-auth-secret</c>: TURN credentials are HMACs of it (never sent to clients).</summary>
    public string? TurnSecret { get; set; }

    /// <summary>How long a TURN credential works; a call that outlives it keeps its allocation (coturn checks at allocation).</summary>
    [TimeSpanRange("00:01:00", "2.00:00:00")]
    public TimeSpan TurnCredentialLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Relay-only ICE: clients offer only TURN candidates, so neither side learns the other's address.</summary>
    public bool RelayOnly { get; set; }

    /// <summary>A ringing call nobody answers ends as <c>missed</c> after this.</summary>
    [TimeSpanRange("00:00:05", "00:10:00")]
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Largest SDP or candidate a client may send, bytes (SDPs with video are about 3–6 KB).</summary>
    [Range(1024, 30 * 1024)]
    public int MaxSignalBytes { get; set; } = 16 * 1024;

    /// <summary>ICE candidates one side may send per second; more are dropped (not an error: trickle ICE tolerates loss).</summary>
    [Range(1, 1000)]
    public int IceCandidatesPerSecond { get; set; } = 50;

    /// <summary>
    /// How long a call outlives its participant's last hub connection on this node (a reload or a network blip
    /// reconnects within it); after it the server ends the call as <c>disconnected</c>.
    /// </summary>
    [TimeSpanRange("00:00:01", "00:05:00")]
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls one hub connection may offer or request per minute; more are refused with <c>call_rate_limited</c>.</summary>
    [Range(1, 120)]
    public int StartsPerMinute { get; set; } = 10;
}
