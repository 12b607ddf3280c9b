using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Hosting;

/// <summary>How nodes share work, section <c>Kefu:Cluster</c>.</summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Cluster";

    /// <summary>
    /// How long a background job's lease lasts without renewal: a node that dies holding it is replaced within
    /// this time. Renewed after a third of it.
    /// </summary>
    [TimeSpanRange("00:00:01", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a node refreshes its presence in Redis; a node silent for three times this is gone.</summary>
    [TimeSpanRange("00:00:01", "00:05:00")]
    public TimeSpan PresenceHeartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Prefix of every Redis channel and key this deployment uses (the SignalR backplane, the cluster bus, shared
    /// state), so two deployments can share one Redis without hearing each other.
    /// </summary>
    [RegularExpression("^[a-z0-9-]{1,32}$")]
    public string RedisPrefix { get; set; } = "kefu";
}
