using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Tickets.Contracts;

namespace Kefu.Server.Console.Pages.Settings.Tickets;

/// <summary>How an SLA policy counts time: around the clock, its own weekly hours, or the ticket's inbox's hours.</summary>
public enum SlaCalendar
{
    Calendar,
    BusinessHours,
    InboxHours,
}

/// <summary>What an SLA policy's targets apply to on the SLA page.</summary>
public enum SlaScope
{
    Priority,
    Tag,
    Inbox,
}

/// <summary>
/// One SLA policy as the SLA page edits it (a priority's, a tag's or an inbox's): targets in minutes, the calendar as
/// ranges per weekday and holiday dates. Turned into the API's <see cref="SlaPolicyDto"/> or <see cref="SlaRuleDto"/>,
/// so the page and <c>PUT /api/v1/tickets/sla-policies</c> / <c>sla-rules</c> go through one handler and one set of rules.
/// </summary>
internal sealed class SlaForm
{
    public SlaScope Scope { get; set; } = SlaScope.Priority;
    public TicketPriority Priority { get; set; } = TicketPriority.Normal;
    public string? Tag { get; set; }
    public Guid? InboxId { get; set; }
    public int? FirstReplyMinutes { get; set; }
    public int? NextReplyMinutes { get; set; }
    public int? ResolutionMinutes { get; set; }
    public int WarnBeforeMinutes { get; set; } = 30;
    public SlaCalendar Calendar { get; set; } = SlaCalendar.Calendar;
    public string TimeZone { get; set; } = "UTC";
    public List<EditableRange> Hours { get; set; } = [];
    public List<DateTime> Holidays { get; set; } = [];

    public static SlaForm From(SlaPolicyDto p) =>
        Fill(new SlaForm { Scope = SlaScope.Priority, Priority = p.Priority }, p.FirstReplyMinutes, p.NextReplyMinutes, p.ResolutionMinutes, p.WarnBeforeMinutes,
            p.BusinessHours, p.TimeZone, p.Holidays, p.UseInboxHours);

    public static SlaForm From(SlaRuleDto r) =>
        Fill(new SlaForm { Scope = r.Tag is null ? SlaScope.Inbox : SlaScope.Tag, Tag = r.Tag, InboxId = r.InboxId }, r.FirstReplyMinutes, r.NextReplyMinutes,
            r.ResolutionMinutes, r.WarnBeforeMinutes, r.BusinessHours, r.TimeZone, r.Holidays, r.UseInboxHours);

    public SlaPolicyDto ToPolicy() =>
        new(Priority, FirstReplyMinutes, NextReplyMinutes, ResolutionMinutes, BusinessHoursText(), TimeZone, WarnBeforeMinutes, HolidaysText(), Calendar == SlaCalendar.InboxHours);

    public SlaRuleDto ToRule() =>
        new(null, Scope == SlaScope.Tag ? Tag?.Trim() ?? "" : null, Scope == SlaScope.Inbox ? InboxId ?? Guid.Empty : null, FirstReplyMinutes, NextReplyMinutes,
            ResolutionMinutes, BusinessHoursText(), TimeZone, HolidaysText(), Calendar == SlaCalendar.InboxHours, WarnBeforeMinutes);

    // Calendar time is empty hours; a business-hours policy with no range at all would also be calendar time.
    private string BusinessHoursText() => Calendar != SlaCalendar.BusinessHours ? ""
        : string.Join("; ", Hours.Select(h => $"{h.Day.ToString()[..3].ToLowerInvariant()} {h.From}-{h.To}"));

    private string HolidaysText() => Calendar != SlaCalendar.BusinessHours ? "" : OpeningHours.FormatDates(Holidays.Select(DateOnly.FromDateTime));

    private static SlaForm Fill(SlaForm f, int? first, int? next, int? resolution, int warn, string? hours, string? zone, string? holidays, bool useInbox)
    {
        f.FirstReplyMinutes = first;
        f.NextReplyMinutes = next;
        f.ResolutionMinutes = resolution;
        f.WarnBeforeMinutes = warn;
        f.TimeZone = string.IsNullOrWhiteSpace(zone) ? "UTC" : zone;
        f.Hours = [.. (OpeningHours.TryParse(hours, out _) ?? []).Select(h => new EditableRange { Day = h.Day, From = OpeningHours.Time(h.From), To = OpeningHours.Time(h.To) })];
        f.Holidays = [.. (OpeningHours.TryParseDates(holidays, out _) ?? []).Select(d => d.ToDateTime(TimeOnly.MinValue))];
        f.Calendar = useInbox ? SlaCalendar.InboxHours : f.Hours.Count > 0 ? SlaCalendar.BusinessHours : SlaCalendar.Calendar;
        return f;
    }
}
