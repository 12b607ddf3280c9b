using Kefu.Server.Features.Invitations;

namespace Kefu.Server.Console.Pages.Settings.Invitations;

/// <summary>One rule as the page edits it: the request's fields, mutable, with the stored rule's counts.</summary>
public sealed class RuleForm
{
    public Guid? Id { get; init; }
    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public string? UrlPattern { get; set; }
    public int? MinSecondsOnPage { get; set; }
    public int? MinPagesVisited { get; set; }

    /// <summary><c>returning</c>, <c>new</c> or null (both).</summary>
    public string? Returning { get; set; }
    public string? Tag { get; set; }
    public string? AttributeKey { get; set; }
    public string? AttributeValue { get; set; }
    public string? Language { get; set; }
    public bool DuringBusinessHours { get; set; }
    public string TextEn { get; set; } = "";
    public string TextZh { get; set; } = "";
    public bool OpenWidget { get; set; }
    public int CapMinutes { get; set; } = 60;
    public int DismissMinutes { get; set; } = 1440;
    public InvitationCounts Counts { get; init; } = new(0, 0, 0, 0);

    public static RuleForm From(InvitationRuleDto r) => new()
    {
        Id = r.Id, Name = r.Name, Enabled = r.Enabled, UrlPattern = r.UrlPattern, MinSecondsOnPage = r.MinSecondsOnPage, MinPagesVisited = r.MinPagesVisited,
        Returning = r.Returning switch { true => "returning", false => "new", null => null }, Tag = r.Tag, AttributeKey = r.AttributeKey, AttributeValue = r.AttributeValue,
        Language = r.Language, DuringBusinessHours = r.DuringBusinessHours, TextEn = r.TextEn, TextZh = r.TextZh, OpenWidget = r.OpenWidget, CapMinutes = r.CapMinutes,
        DismissMinutes = r.DismissMinutes, Counts = r.Counts,
    };

    // Empty boxes are "no condition": the API takes null for those, never an empty pattern.
    public InvitationRuleRequest ToRequest() => new(Id, Name, Enabled, Blank(UrlPattern), MinSecondsOnPage, MinPagesVisited,
        Returning switch { "returning" => true, "new" => false, _ => null }, Blank(Tag), Blank(AttributeKey), Blank(AttributeKey) is null ? null : AttributeValue ?? "",
        Language, DuringBusinessHours, TextEn, TextZh, OpenWidget, CapMinutes, DismissMinutes);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
