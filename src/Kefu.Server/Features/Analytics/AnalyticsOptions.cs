using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Analytics;

/// <summary>Reports and their rollups (<c>Kefu:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Analytics";

    /// <summary>The longest range one report may cover, in days (the previous period is read as well).</summary>
    [Range(1, 400, ErrorMessage = "Kefu:Analytics:MaxRangeDays must be between 1 and 400.")]
    public int MaxRangeDays { get; set; } = 92;

    /// <summary>
    /// Seconds between passes that rebuild the rollups of closed hours whose conversations changed. Until then a report
    /// reads those hours from the conversation rows, so the numbers are current either way; this only bounds that work.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Kefu:Analytics:RollupIntervalSeconds must be between 1 and 3600.")]
    public int RollupIntervalSeconds { get; set; } = 30;
}
