using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Notifications;

/// <summary>How long the bell remembers (<c>Kefu:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Notifications";

    /// <summary>Days a line is kept after it was last raised, read or not.</summary>
    [Range(1, 365, ErrorMessage = "Kefu:Notifications:RetentionDays must be between 1 and 365.")]
    public int RetentionDays { get; set; } = 30;

    /// <summary>Lines kept per agent; the oldest beyond it go at the next sweep, so a busy agent's bell stays quick.</summary>
    [Range(10, 10_000, ErrorMessage = "Kefu:Notifications:MaxPerAgent must be between 10 and 10000.")]
    public int MaxPerAgent { get; set; } = 200;
}
