using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Tickets;

/// <summary>Tickets (<c>Kefu:Tickets</c>).</summary>
public sealed class TicketsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Tickets";

    /// <summary>A solved ticket closes after this many days without an answer from the customer.</summary>
    [Range(1, 365, ErrorMessage = "Kefu:Tickets:AutoCloseDays must be between 1 and 365.")]
    public int AutoCloseDays { get; set; } = 4;

    /// <summary>How often the sweep looks for SLA warnings, breaches and tickets to close: events are at most this late.</summary>
    [Range(1, 3600, ErrorMessage = "Kefu:Tickets:SweepSeconds must be between 1 and 3600.")]
    public int SweepSeconds { get; set; } = 30;
}
