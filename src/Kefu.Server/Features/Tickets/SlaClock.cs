using Kefu.Server.Features.Routing.Contracts;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// SLA arithmetic: when a target of so many minutes, started at an instant, falls due. In calendar time that is a sum;
/// in business hours the minutes count only while the policy's weekly hours are open (<see cref="WeeklyHours"/>, the
/// parser inbox opening hours use). Pure and clock-free: callers pass the instant.
/// </summary>
internal static class SlaClock
{
    /// <summary>At most this many open intervals are walked: a target longer than a year of business days is refused earlier.</summary>
    private const int MaxIntervals = 2000;

    /// <summary>
    /// The instant <paramref name="target"/> of working time after <paramref name="start"/>; null when the hours never
    /// open (every day closed), so the target cannot be met or breached.
    /// </summary>
    public static DateTime? Due(DateTime start, TimeSpan target, WeeklyHours hours)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc));
        if (hours.AlwaysOpen)
        {
            return (at + target).UtcDateTime;
        }

        var left = target;
        for (var i = 0; i < MaxIntervals; i++)
        {
            if (hours.NextOpening(at) is not { } open)
            {
                return null;
            }

            var end = OpenUntil(hours, open);
            if (end - open >= left)
            {
                return (open + left).UtcDateTime;
            }

            left -= end - open;
            at = end;
        }

        return null;
    }

    /// <summary>The end of the open stretch that contains <paramref name="instant"/> (which must be open): the latest end of a range holding it.</summary>
    private static DateTimeOffset OpenUntil(WeeklyHours hours, DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, hours.Zone).DateTime;
        DateTime? until = null;
        foreach (var (day, from, to) in hours.Ranges)
        {
            foreach (var start in new[] { local.Date, local.Date.AddDays(-1) })
            {
                var end = to > from ? start + to : start.AddDays(1) + to;
                // A range of a closed date (a holiday) does not count, as in WeeklyHours.IsOpen.
                if (start.DayOfWeek == day && !hours.IsClosedOn(DateOnly.FromDateTime(start)) && local >= start + from && local < end && (until is null || end > until))
                {
                    until = end;
                }
            }
        }

        if (until is not { } u)
        {
            return instant.AddMinutes(1); // open by a rule the ranges do not show: step a minute rather than stall
        }

        var result = new DateTimeOffset(u, hours.Zone.GetUtcOffset(u));
        // Back-to-back ranges (mon 09:00-24:00, tue 00:00-…) are one stretch; the loop in Due joins them.
        return result > instant ? result : instant.AddMinutes(1);
    }
}
