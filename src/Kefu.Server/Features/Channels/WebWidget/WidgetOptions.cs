using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>Website widget settings, section <c>Kefu:Widget</c>.</summary>
public sealed class WidgetOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Widget";

    /// <summary>How long a visitor token is valid; the widget renews it at every page load.</summary>
    [TimeSpanRange("00:05:00", "365.00:00:00")]
    public TimeSpan VisitorTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>New widget sessions allowed per client IP per minute.</summary>
    [Range(1, 100_000)]
    public int SessionsPerMinutePerIp { get; set; } = 60;
}
