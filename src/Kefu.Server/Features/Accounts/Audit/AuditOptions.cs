using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>The audit log, section <c>Kefu:Audit</c>.</summary>
public sealed class AuditOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Audit";

    /// <summary>
    /// Days an audit entry is kept; older entries are deleted once a day. At least 30, so a typo cannot wipe the
    /// trail an investigation needs; at most 100 years.
    /// </summary>
    [Range(30, 36_500, ErrorMessage = "Kefu:Audit:RetentionDays must be between 30 and 36500.")]
    public int RetentionDays { get; set; } = 365;
}
