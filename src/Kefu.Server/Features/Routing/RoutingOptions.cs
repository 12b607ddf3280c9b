using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Routing;

/// <summary>Routing worker settings (<c>Kefu:Routing</c>). Per-inbox rules live in the database (<see cref="InboxRouting"/>).</summary>
internal sealed class RoutingOptions
{
    public const string Section = "Kefu:Routing";

    /// <summary>How long an agent whose last connection ended still counts as present (a reload, a network blip).</summary>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan PresenceGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Route only to agents with a live connection (hub or console). Off lets API-only agents (integrations,
    /// the route benchmark) be routed to by their presence state alone.
    /// </summary>
    public bool RequireConnection { get; set; } = true;

    /// <summary>
    /// Serve the router's node-wide counters at <c>GET /api/v1/routing/stats</c> (admins). Off by default: the
    /// counters cover every workspace on the node, which one workspace's admin must not see. For operators and the bench.
    /// </summary>
    public bool ExposeStats { get; set; }

    /// <summary>Longest pause between routing passes when nothing signals: offer timeouts and overflow are checked this often.</summary>
    [TimeSpanRange("00:00:00.050", "00:01:00")]
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Claims committed together in one transaction (group commit: one fsync for all of them).</summary>
    [Range(1, 1000)]
    public int ClaimBatchSize { get; set; } = 200;

    /// <summary>Handling time assumed for the wait estimate until the workspace has resolved conversations.</summary>
    [TimeSpanRange("00:00:10", "02:00:00")]
    public TimeSpan DefaultHandlingTime { get; set; } = TimeSpan.FromMinutes(4);
}
