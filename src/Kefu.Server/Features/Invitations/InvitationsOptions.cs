using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Invitations;

/// <summary>Proactive invitations (<c>Kefu:Invitations</c>, docs/invitations.md).</summary>
public sealed class InvitationsOptions
{
    public const string Section = "Kefu:Invitations";

    /// <summary>A visitor message this many minutes after an invitation counts it as converted.</summary>
    [Range(1, 1440)]
    public int ConversionWindowMinutes { get; set; } = 30;

    /// <summary>A visitor whose widget has not checked in for this many seconds leaves the live visitor list.</summary>
    [Range(30, 3600)]
    public int OnlineSeconds { get; set; } = 90;

    /// <summary>A new visit (for "returning visitor" and pages counted) begins after this many minutes without a check-in.</summary>
    [Range(1, 1440)]
    public int VisitGapMinutes { get; set; } = 30;
}
