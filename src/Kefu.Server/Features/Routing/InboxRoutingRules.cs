using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// The checks of an inbox's routing settings that need no database, shared by <c>PUT /api/v1/inboxes/{id}/routing</c>
/// and the console's routing page (which calls the same handler). Each error names the request field at fault.
/// </summary>
internal static class InboxRoutingRules
{
    public const int MaxClosedMessage = 500;

    public static KefuError? Validate(InboxRoutingRequest r)
    {
        if (!Enum.IsDefined(r.Strategy))
        {
            return Invalid("strategy", "Unknown strategy.");
        }

        if (!Enum.IsDefined(r.Mode))
        {
            return Invalid("mode", "Unknown mode.");
        }

        if (r.OfferTimeoutSeconds is < 5 or > 600)
        {
            return Invalid("offerTimeoutSeconds", "offerTimeoutSeconds must be between 5 and 600.");
        }

        if (SkillSet.TryParse(r.RequiredSkills, out var skillError) is not { } skills)
        {
            return Invalid("requiredSkills", skillError!);
        }

        if (skills.ToString().Length > 1000)
        {
            return Invalid("requiredSkills", "requiredSkills may be 1,000 characters.");
        }

        if (r.OverflowAfterMinutes is < 0 or > 1440)
        {
            return Invalid("overflowAfterMinutes", "overflowAfterMinutes must be 0-1440.");
        }

        if (r.OverflowAfterMinutes > 0 && r.OverflowTeamId is null)
        {
            return Invalid("overflowTeamId", "overflowAfterMinutes needs overflowTeamId.");
        }

        if (!SafeText.IsSingleLine(r.VipTags))
        {
            return Invalid("vipTags", "vipTags may not contain control or bidirectional characters.");
        }

        if (ContactTags.TryNormalize(ContactTags.Split(r.VipTags), out var tagError) is null)
        {
            return Invalid("vipTags", tagError!);
        }

        return Hours(r) ?? Closed(r);
    }

    private static KefuError? Hours(InboxRoutingRequest r)
    {
        if (!SafeText.IsSingleLine(r.TimeZone) || r.TimeZone is { Length: > 100 } ||
            !TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(r.TimeZone) ? "UTC" : r.TimeZone.Trim(), out _))
        {
            return Invalid("timeZone", $"Unknown time zone '{r.TimeZone}'.");
        }

        if (!SafeText.IsSingleLine(r.BusinessHours) || r.BusinessHours?.Trim().Length > 1000)
        {
            return Invalid("businessHours", "businessHours may be 1,000 characters on one line.");
        }

        if (OpeningHours.TryParse(r.BusinessHours, out var hoursError) is null)
        {
            return Invalid("businessHours", hoursError!);
        }

        if (!SafeText.IsSingleLine(r.Holidays) || r.Holidays?.Trim().Length > 4000)
        {
            return Invalid("holidays", "holidays may be 4,000 characters on one line.");
        }

        return OpeningHours.TryParseDates(r.Holidays, out var dateError) is null ? Invalid("holidays", dateError!) : null;
    }

    private static KefuError? Closed(InboxRoutingRequest r)
    {
        // Cleaned on save like every text people type (SafeText); only the length can make it unacceptable.
        if (SafeText.MultiLine(r.ClosedMessageEn).Length > MaxClosedMessage)
        {
            return Invalid("closedMessageEn", $"closedMessageEn may be {MaxClosedMessage} characters.");
        }

        return SafeText.MultiLine(r.ClosedMessageZh).Length > MaxClosedMessage
            ? Invalid("closedMessageZh", $"closedMessageZh may be {MaxClosedMessage} characters.")
            : null;
    }

    private static KefuError Invalid(string field, string message) => RoutingErrors.Invalid(message) with { Field = field };
}
