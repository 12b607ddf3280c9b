namespace Kefu.Server.Features.Agents.Contracts;

/// <summary>An agent's presence. Only <see cref="Online"/> agents are offered or assigned new conversations.</summary>
public enum PresenceState
{
    /// <summary>Takes new conversations.</summary>
    Online,

    /// <summary>Connected, keeps their conversations, takes no new ones.</summary>
    Busy,

    /// <summary>Stepped away (set by hand, or automatically when an offer was not accepted in time).</summary>
    Away,

    /// <summary>Not working (set by hand, or when the last connection has been gone for the grace period).</summary>
    Offline,
}
