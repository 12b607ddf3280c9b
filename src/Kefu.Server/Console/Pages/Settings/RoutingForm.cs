using System.Globalization;
using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Routing.Contracts;

namespace Kefu.Server.Console.Pages.Settings;

/// <summary>
/// An inbox's routing settings as the routing page edits them: skills and tags as chips, business hours as ranges per
/// weekday, holidays as dates. Turned into the API's <see cref="InboxRoutingRequest"/> on save, so the page and
/// <c>PUT /api/v1/inboxes/{id}/routing</c> go through one handler and one set of rules.
/// </summary>
internal sealed class RoutingForm
{
    /// <summary>The times a range may start or end, every 15 minutes; 24:00 ends a day.</summary>
    public static readonly IReadOnlyList<string> Times =
        [.. Enumerable.Range(0, 97).Select(i => OpeningHours.Time(TimeSpan.FromMinutes(i * 15)))];

    public RoutingStrategy Strategy { get; set; }
    public AssignmentMode Mode { get; set; }
    public int OfferTimeoutSeconds { get; set; }
    public List<SkillChip> Skills { get; set; } = [];
    public Guid? TeamId { get; set; }
    public int OverflowAfterMinutes { get; set; }
    public Guid? OverflowTeamId { get; set; }
    public bool ReturnToPreviousAgent { get; set; }
    public List<string> VipTags { get; set; } = [];
    public string TimeZone { get; set; } = "UTC";
    public List<EditableRange> Hours { get; set; } = [];
    public List<DateTime> Holidays { get; set; } = [];
    public string? ClosedMessageEn { get; set; }
    public string? ClosedMessageZh { get; set; }
    public bool ClosedLeaveMessage { get; set; }

    public static RoutingForm From(InboxRoutingRequest r) => new()
    {
        Strategy = r.Strategy, Mode = r.Mode, OfferTimeoutSeconds = r.OfferTimeoutSeconds, TeamId = r.TeamId, OverflowAfterMinutes = r.OverflowAfterMinutes,
        OverflowTeamId = r.OverflowTeamId, ReturnToPreviousAgent = r.ReturnToPreviousAgent, TimeZone = r.TimeZone ?? "UTC",
        ClosedMessageEn = r.ClosedMessageEn, ClosedMessageZh = r.ClosedMessageZh, ClosedLeaveMessage = r.ClosedLeaveMessage,
        Skills = [.. SkillSet.Parse(r.RequiredSkills).Levels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new SkillChip { Name = l.Key, Level = l.Value })],
        VipTags = [.. (r.VipTags ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        Hours = [.. (OpeningHours.TryParse(r.BusinessHours, out _) ?? []).Select(h => new EditableRange { Day = h.Day, From = OpeningHours.Time(h.From), To = OpeningHours.Time(h.To) })],
        Holidays = [.. (OpeningHours.TryParseDates(r.Holidays, out _) ?? []).Select(d => d.ToDateTime(TimeOnly.MinValue))],
    };

    public InboxRoutingRequest ToRequest() => new(
        Strategy, Mode, OfferTimeoutSeconds, string.Join(' ', Skills.Select(s => s.Level == 1 ? s.Name : $"{s.Name}:{s.Level.ToString(CultureInfo.InvariantCulture)}")),
        TeamId, OverflowAfterMinutes, OverflowTeamId, ReturnToPreviousAgent, string.Join(' ', VipTags), TimeZone,
        string.Join("; ", Hours.Select(h => $"{h.Day.ToString()[..3].ToLowerInvariant()} {h.From}-{h.To}")),
        OpeningHours.FormatDates(Holidays.Select(DateOnly.FromDateTime)), ClosedMessageEn, ClosedMessageZh, ClosedLeaveMessage);
}

/// <summary>One opening range of a weekday while it is edited.</summary>
public sealed class EditableRange
{
    public DayOfWeek Day { get; set; }
    public string From { get; set; } = "09:00";
    public string To { get; set; } = "18:00";
}

/// <summary>A required skill with its level while it is edited.</summary>
public sealed class SkillChip
{
    public string Name { get; set; } = "";
    public int Level { get; set; } = 1;
}
