using System.Globalization;

namespace Kefu.Server.Features.Agents;

/// <summary>
/// Finds two weekly shifts that cover the same minute. Overlapping shifts say nothing routing needs (it only asks
/// "on shift now?") but are almost always a typing mistake, and the weekly calendar cannot draw them apart.
/// </summary>
internal static class ShiftOverlap
{
    private const int Week = 7 * 24 * 60;
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The first two overlapping ranges, written as the caller wrote them (<c>mon 09:00-17:00 and mon 16:00-18:00</c>); null when none overlap.</summary>
    public static string? Find(IReadOnlyList<(DayOfWeek Day, TimeSpan From, TimeSpan To)> ranges)
    {
        // Minutes of the week from Sunday 00:00; a range past midnight (or past Saturday night) runs on, and is
        // compared once more shifted back a week so that "sat 22:00-02:00" meets "sun 01:00-03:00".
        var spans = ranges.Select(r =>
        {
            var start = (int)r.Day * 1440 + (int)r.From.TotalMinutes;
            var length = (int)(r.To > r.From ? r.To - r.From : r.To + TimeSpan.FromDays(1) - r.From).TotalMinutes;
            return (Start: start, End: start + length, Text: Describe(r));
        }).ToList();
        for (var i = 0; i < spans.Count; i++)
        {
            for (var j = i + 1; j < spans.Count; j++)
            {
                if (Overlaps(spans[i], spans[j]) || Overlaps(spans[i], (spans[j].Start + Week, spans[j].End + Week, "")) ||
                    Overlaps((spans[i].Start + Week, spans[i].End + Week, ""), spans[j]))
                {
                    return $"{spans[i].Text} and {spans[j].Text}";
                }
            }
        }

        return null;
    }

    private static bool Overlaps((int Start, int End, string) a, (int Start, int End, string) b) => a.Start < b.End && b.Start < a.End;

    private static string Describe((DayOfWeek Day, TimeSpan From, TimeSpan To) r) =>
        $"{Days[(int)r.Day]} {r.From.ToString(@"hh\:mm", CultureInfo.InvariantCulture)}-{r.To.ToString(@"hh\:mm", CultureInfo.InvariantCulture)}";
}
