using System.Globalization;

namespace Kefu.Server.Features.Routing;

/// <summary>One opening range on a weekday, as the console edits it. <see cref="To"/> may be 24:00 (end of the day).</summary>
internal sealed record OpeningRange(DayOfWeek Day, TimeSpan From, TimeSpan To);

/// <summary>
/// An inbox's business hours as ranges per weekday, and their text form (<c>mon-fri 09:00-18:00; sat 10:00-14:00</c>,
/// the API's syntax, read by <see cref="Contracts.WeeklyHours"/>). Stricter than shifts: a range ends after it starts on
/// its own day (24:00 for midnight) and ranges of a day do not overlap, so what the weekly editor shows is exactly
/// what is stored.
/// </summary>
internal static class OpeningHours
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Monday first, as the editor lists the week.</summary>
    public static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>The ranges of <paramref name="text"/>, ordered by day and start; null with the reason when it is malformed, backwards or overlapping.</summary>
    public static List<OpeningRange>? TryParse(string? text, out string? error)
    {
        error = null;
        var ranges = new List<OpeningRange>();
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var days = pieces.Length == 2 ? pieces[0].ToLowerInvariant().Split('-') : [];
            var times = pieces.Length == 2 ? pieces[1].Split('-') : [];
            if (days.Length is < 1 or > 2 || times.Length != 2 || Array.IndexOf(Days, days[0]) < 0 || Array.IndexOf(Days, days[^1]) < 0 ||
                !TryTime(times[0], false, out var from) || !TryTime(times[1], true, out var to))
            {
                error = $"'{part}' is not a range: write e.g. 'mon-fri 09:00-18:00'.";
                return null;
            }

            if (to <= from)
            {
                error = $"'{part}' ends before it starts: split a range across midnight into one ending at 24:00 and one starting at 00:00.";
                return null;
            }

            for (var d = Array.IndexOf(Days, days[0]); ; d = (d + 1) % 7)
            {
                ranges.Add(new OpeningRange((DayOfWeek)d, from, to));
                if (d == Array.IndexOf(Days, days[^1]))
                {
                    break;
                }
            }
        }

        var ordered = ranges.OrderBy(r => Array.IndexOf(Week, r.Day)).ThenBy(r => r.From).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Day == ordered[i - 1].Day && ordered[i].From < ordered[i - 1].To)
            {
                error = $"Two ranges on {Days[(int)ordered[i].Day]} overlap.";
                return null;
            }
        }

        return ordered;
    }

    /// <summary>The text form: consecutive days with the same ranges share one day span (<c>mon-fri 09:00-18:00</c>).</summary>
    public static string Format(IEnumerable<OpeningRange> ranges)
    {
        var byDay = Week.Select(d => ranges.Where(r => r.Day == d).OrderBy(r => r.From).Select(Times).ToList()).ToList();
        var parts = new List<string>();
        for (var start = 0; start < 7; start++)
        {
            var end = start;
            while (end + 1 < 7 && byDay[end + 1].SequenceEqual(byDay[start]))
            {
                end++;
            }

            var span = start == end ? Days[(int)Week[start]] : Days[(int)Week[start]] + "-" + Days[(int)Week[end]];
            parts.AddRange(byDay[start].Select(t => span + " " + t));
            start = end;
        }

        return string.Join("; ", parts);
    }

    /// <summary>Closed dates in their text form (<c>yyyy-MM-dd</c>, space separated, in order, once each).</summary>
    public static string FormatDates(IEnumerable<DateOnly> dates) =>
        string.Join(' ', dates.Distinct().Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>The dates of <paramref name="text"/>; null with the reason for a malformed one.</summary>
    public static List<DateOnly>? TryParseDates(string? text, out string? error)
    {
        error = null;
        var dates = new List<DateOnly>();
        foreach (var token in (text ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!DateOnly.TryParseExact(token, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                error = $"'{token}' is not a date: write yyyy-MM-dd.";
                return null;
            }

            dates.Add(date);
        }

        return [.. dates.Distinct().Order()];
    }

    public static string Time(TimeSpan t) => t >= TimeSpan.FromDays(1) ? "24:00" : t.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static string Times(OpeningRange r) => Time(r.From) + "-" + Time(r.To);

    private static bool TryTime(string text, bool end, out TimeSpan time)
    {
        if (end && text == "24:00")
        {
            time = TimeSpan.FromDays(1);
            return true;
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromDays(1);
    }
}
