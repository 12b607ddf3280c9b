using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Invitations;

/// <summary>One rule as the console sends it (PUT replaces the inbox's ordered list).</summary>
/// <param name="Id">An existing rule of the inbox to keep (its counts stay); null for a new one.</param>
/// <param name="Name">1–100 characters.</param>
/// <param name="Enabled">False keeps the rule without showing it.</param>
/// <param name="UrlPattern">Glob (<c>*</c>) or prefix; <c>/…</c> for path and query; null: any page.</param>
/// <param name="MinSecondsOnPage">0–3600.</param>
/// <param name="MinPagesVisited">1–100.</param>
/// <param name="Returning">True: returning visitors only; false: first visits only; null: both.</param>
/// <param name="Tag">A contact tag the visitor must carry.</param>
/// <param name="AttributeKey">An attribute (<c>Kefu.setAttributes</c>) that must equal <paramref name="AttributeValue"/>.</param>
/// <param name="AttributeValue">The value, compared as text.</param>
/// <param name="Language"><c>en</c>, <c>zh</c> or null.</param>
/// <param name="DuringBusinessHours">Only while the inbox's business hours are open.</param>
/// <param name="TextEn">The invitation in English, 1–500 characters, plain text.</param>
/// <param name="TextZh">The invitation in Chinese, 1–500 characters, plain text.</param>
/// <param name="OpenWidget">Also open the chat window.</param>
/// <param name="CapMinutes">1–43200: at most one invitation per this many minutes per visitor.</param>
/// <param name="DismissMinutes">0–43200: after a dismissal, none for this many minutes.</param>
public sealed record InvitationRuleRequest(Guid? Id, string? Name, bool Enabled = true, string? UrlPattern = null, int? MinSecondsOnPage = null,
    int? MinPagesVisited = null, bool? Returning = null, string? Tag = null, string? AttributeKey = null, string? AttributeValue = null, string? Language = null,
    bool DuringBusinessHours = false, string? TextEn = null, string? TextZh = null, bool OpenWidget = false, int CapMinutes = 60, int DismissMinutes = 1440);

/// <summary>Validation of a rule list: the first fault, with its field as <c>rules[i].name</c>.</summary>
internal static class InvitationRuleValidation
{
    public static KefuError? Check(IReadOnlyList<InvitationRuleRequest?>? rules)
    {
        if (rules is null)
        {
            return InvitationErrors.Invalid("rules", "rules must be a list.");
        }

        if (rules.Count > InvitationLimits.MaxRules)
        {
            return InvitationErrors.Invalid("rules", $"An inbox keeps at most {InvitationLimits.MaxRules} invitation rules.");
        }

        for (var i = 0; i < rules.Count; i++)
        {
            if (CheckOne(rules[i]) is ({ } field, { } message))
            {
                return InvitationErrors.Invalid($"rules[{i}].{field}", message);
            }
        }

        var ids = rules.Where(r => r!.Id is not null).Select(r => r!.Id).ToList();
        return ids.Count != ids.Distinct().Count() ? InvitationErrors.Invalid("rules", "A rule appears twice.") : null;
    }

    private static (string?, string?) CheckOne(InvitationRuleRequest? r) => r switch
    {
        null => ("name", "A rule may not be null."),
        _ when !Text(r.Name, InvitationLimits.MaxName) => ("name", "name must be 1–100 characters."),
        _ when r.UrlPattern is not null && !Pattern(r.UrlPattern) =>
            ("urlPattern", "urlPattern must be 1–200 printable characters without spaces, with at most 4 '*'."),
        _ when r.MinSecondsOnPage is < 0 or > InvitationLimits.MaxSeconds => ("minSecondsOnPage", "minSecondsOnPage must be 0–3600."),
        _ when r.MinPagesVisited is < 1 or > InvitationLimits.MaxPages => ("minPagesVisited", "minPagesVisited must be 1–100."),
        _ when r.Tag is not null && !Word(r.Tag) => ("tag", "tag must be 1–64 characters without spaces."),
        _ when r.AttributeKey is not null && !Word(r.AttributeKey) => ("attributeKey", "attributeKey must be 1–64 characters without spaces."),
        _ when (r.AttributeKey is null) != (r.AttributeValue is null) || (r.AttributeValue is { Length: > InvitationLimits.MaxAttributeValue }) =>
            ("attributeValue", "attributeKey and attributeValue (at most 255 characters) go together."),
        _ when r.Language is not (null or "en" or "zh") => ("language", "language must be en, zh or null."),
        _ when !Text(r.TextEn, InvitationLimits.MaxText) => ("textEn", "textEn must be 1–500 characters."),
        _ when !Text(r.TextZh, InvitationLimits.MaxText) => ("textZh", "textZh must be 1–500 characters."),
        _ when r.CapMinutes is < 1 or > InvitationLimits.MaxCapMinutes => ("capMinutes", "capMinutes must be 1–43200."),
        _ when r.DismissMinutes is < 0 or > InvitationLimits.MaxCapMinutes => ("dismissMinutes", "dismissMinutes must be 0–43200."),
        _ => (null, null),
    };

    private static bool Text(string? value, int max) => !string.IsNullOrWhiteSpace(value) && value.Length <= max && !value.Any(char.IsControl);

    private static bool Word(string value) => value.Length is > 0 and <= InvitationLimits.MaxTag && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private static bool Pattern(string value) =>
        value.Length is > 0 and <= InvitationLimits.MaxPattern && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) &&
        value.Count(c => c == '*') <= InvitationLimits.MaxStars;
}
