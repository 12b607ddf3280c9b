using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.VisitorEvents;

/// <summary>Limits of the widget SDK's calls that store something (<c>track</c>, <c>setAttributes</c>), section <c>Kefu:VisitorEvents</c>.</summary>
public sealed class VisitorEventsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:VisitorEvents";

    /// <summary>Calls per visitor per minute, on average: a page that tracks every scroll is slowed, not stored.</summary>
    [Range(1, 100_000)]
    public int CallsPerMinute { get; set; } = 60;

    /// <summary>Calls a visitor may make at once (a page load that tracks a view and sets attributes).</summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 20;
}
