using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Collaboration;

/// <summary>Notes, following and snoozing (<c>Kefu:Collaboration</c>).</summary>
public sealed class CollaborationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Collaboration";

    /// <summary>How often the snooze sweep looks for snoozes whose time has come: a snooze ends at most this late.</summary>
    [Range(1, 3600, ErrorMessage = "Kefu:Collaboration:SnoozeSweepSeconds must be between 1 and 3600.")]
    public int SnoozeSweepSeconds { get; set; } = 30;
}
