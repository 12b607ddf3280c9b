using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Invitations;

/// <summary>The expected failures of invitations; a bad rule names the field (<c>rules[2].urlPattern</c>) and answers 422.</summary>
internal static class InvitationErrors
{
    public const string InvalidRuleCode = "invalid_invitation_rule";
    public static readonly KefuError Forbidden = new("forbidden", "Your role may not do this.");
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "No such widget inbox.");
    public static readonly KefuError RuleNotFound = new("invitation_rule_not_found", "No such invitation rule.");
    public static readonly KefuError InvitationNotFound = new("invitation_not_found", "No such invitation.");
    public static readonly KefuError VisitorNotFound = new("visitor_not_found", "No such visitor online.");
    public static readonly KefuError InvalidVisit = new("invalid_visit", "url must be an http(s) URL of at most 2000 characters.") { Field = "url" };
    public static readonly KefuError InvalidText = new("invalid_invitation_text", "text must be 1–500 characters.") { Field = "text" };

    public static KefuError Invalid(string field, string message) => new(InvalidRuleCode, message) { Field = field };
}

/// <summary>Limits shared by the server, the console and docs/invitations.md.</summary>
internal static class InvitationLimits
{
    public const int MaxRules = 20;
    public const int MaxName = 100;
    public const int MaxPattern = 200;
    public const int MaxStars = 4;
    public const int MaxTag = 64;
    public const int MaxAttributeValue = 255;
    public const int MaxText = 500;
    public const int MaxSeconds = 3600;
    public const int MaxPages = 100;
    public const int MaxCapMinutes = 43_200;
}
