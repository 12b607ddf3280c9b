using System.Globalization;

namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>
/// Weekly opening hours or shifts in a time zone, with closed dates: <c>mon-fri 09:00-18:00; sat 10:00-14:00</c>.
/// A range may cross midnight (<c>fri 22:00-02:00</c>). Empty text means always open. Pure and clock-free:
/// callers pass the instant.
/// </summary>
internal sealed class WeeklyHours
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private readonly List<(DayOfWeek Day, TimeSpan From, TimeSpan To)> _ranges;
    private readonly HashSet<DateOnly> _closed;

    private WeeklyHours(TimeZoneInfo zone, List<(DayOfWeek, TimeSpan, TimeSpan)> ranges, HashSet<DateOnly> closed)
    {
        Zone = zone;
        _ranges = ranges;
        _closed = closed;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The weekly ranges, one per day a range starts on (<c>mon-fri</c> is five); <c>To</c> before <c>From</c> crosses midnight.</summary>
    public IReadOnlyList<(DayOfWeek Day, TimeSpan From, TimeSpan To)> Ranges => _ranges;

    /// <summary>True when no hours are set: always open.</summary>
    public bool AlwaysOpen => _ranges.Count == 0;

    public static WeeklyHours? TryParse(string? hours, string? timeZone, string? closedDates, out string? error)
    {
        error = null;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim(), out var zone))
        {
            error = $"Unknown time zone '{timeZone}'.";
            return null;
        }

        var ranges = new List<(DayOfWeek, TimeSpan, TimeSpan)>();
        foreach (var part in (hours ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParseRange(part, ranges))
            {
                error = $"'{part}' is not a range: write e.g. 'mon-fri 09:00-18:00'.";
                return null;
            }
        }

        var closed = new HashSet<DateOnly>();
        foreach (var date in (closedDates ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                error = $"'{date}' is not a date: write yyyy-MM-dd.";
                return null;
            }

            closed.Add(d);
        }

        return new WeeklyHours(zone, ranges, closed);
    }

    public static WeeklyHours Parse(string? hours, string? timeZone, string? closedDates) =>
        TryParse(hours, timeZone, closedDates, out _) ?? TryParse("", "UTC", "", out _)!;

    /// <summary>True when <paramref name="date"/> (in <see cref="Zone"/>) is a closed date: no range starting on it counts.</summary>
    public bool IsClosedOn(DateOnly date) => _closed.Contains(date);

    public bool IsOpen(DateTimeOffset instant)
    {
        if (AlwaysOpen)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(instant, Zone).DateTime;
        foreach (var (day, from, to) in _ranges)
        {
            // A range belongs to the day it starts on; one that crosses midnight also covers the next morning.
            foreach (var start in new[] { local.Date, local.Date.AddDays(-1) })
            {
                if (start.DayOfWeek != day || _closed.Contains(DateOnly.FromDateTime(start)))
                {
                    continue;
                }

                var end = to > from ? start + to : start.AddDays(1) + to;
                if (local >= start + from && local < end)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The next instant at or after <paramref name="instant"/> when it is open; null when it never opens within two weeks.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset instant)
    {
        if (IsOpen(instant))
        {
            return instant;
        }

        var local = TimeZoneInfo.ConvertTime(instant, Zone).DateTime;
        DateTime? best = null;
        for (var d = 0; d <= 14 && best is null; d++)
        {
            var date = local.Date.AddDays(d);
            foreach (var (day, from, _) in _ranges)
            {
                var start = date + from;
                if (date.DayOfWeek == day && !_closed.Contains(DateOnly.FromDateTime(date)) && start > local && (best is null || start < best))
                {
                    best = start;
                }
            }
        }

        return best is { } b ? new DateTimeOffset(b, Zone.GetUtcOffset(b)) : null;
    }

    /// <summary>An end time; <c>24:00</c> is the end of the day, so a day's last range needs no jump across midnight.</summary>
    private static bool TryParseEnd(string text, out TimeSpan end)
    {
        if (text == "24:00")
        {
            end = TimeSpan.FromDays(1);
            return true;
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out end);
    }

    private static bool TryParseRange(string part, List<(DayOfWeek, TimeSpan, TimeSpan)> ranges)
    {
        var pieces = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (pieces.Length != 2)
        {
            return false;
        }

        var days = pieces[0].ToLowerInvariant().Split('-');
        var times = pieces[1].Split('-');
        if (days.Length is < 1 or > 2 || times.Length != 2 ||
            !TimeSpan.TryParseExact(times[0], @"hh\:mm", CultureInfo.InvariantCulture, out var from) ||
            !TryParseEnd(times[1], out var to) || from == to)
        {
            return false;
        }

        var first = Array.IndexOf(Days, days[0]);
        var last = Array.IndexOf(Days, days[^1]);
        if (first < 0 || last < 0)
        {
            return false;
        }

        for (var d = first; ; d = (d + 1) % 7)
        {
            ranges.Add(((DayOfWeek)d, from, to));
            if (d == last)
            {
                return true;
            }
        }
    }
}
