using System.Globalization;
using Kefu.Server.Features.Analytics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Kefu.Server.Console.Pages.Reports;

/// <summary>
/// The dashboards' filters, turned into exactly the query the REST reports take: the tabs call the same handlers with
/// <see cref="Parameters"/> and <see cref="Query"/>, and the download links carry <see cref="QueryString"/>, so the page,
/// the API and the files cannot disagree about what was asked.
/// </summary>
public sealed class ReportFilter
{
    /// <summary>Range presets in days; null means the custom dates.</summary>
    public static readonly int[] Presets = [1, 7, 30, 90];

    public int? Days { get; set; } = 7;
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public Guid? Inbox { get; set; }
    public string? Channel { get; set; }
    public Guid? Team { get; set; }
    public Guid? Agent { get; set; }
    public string? Tag { get; set; }
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Changes whenever a filter changes: tabs reload when it differs from what they loaded.</summary>
    public int Version { get; private set; }

    public void Changed() => Version++;

    /// <summary>The query pairs, as the REST endpoints read them (a preset is "from" that many days before now, "to" left out: the current hour).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Pairs(DateTime now)
    {
        if (Days is { } days)
        {
            yield return new("from", Iso(now.AddDays(-days)));
        }
        else
        {
            yield return new("from", From is { } f ? Iso(Local(f.Date)) : null);
            yield return new("to", To is { } t ? Iso(Local(t.Date.AddDays(1))) : null);
        }

        yield return new("inbox", Inbox?.ToString());
        yield return new("channel", Channel);
        yield return new("team", Team?.ToString());
        yield return new("agent", Agent?.ToString());
        yield return new("tag", string.IsNullOrWhiteSpace(Tag) ? null : Tag.Trim());
        yield return new("tz", TimeZone == "UTC" ? null : TimeZone);
    }

    public ReportParameters Parameters(DateTime now)
    {
        var q = Pairs(now).Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        return new ReportParameters(q.GetValueOrDefault("from"), q.GetValueOrDefault("to"), q.GetValueOrDefault("inbox"), q.GetValueOrDefault("channel"),
            q.GetValueOrDefault("team"), q.GetValueOrDefault("agent"), q.GetValueOrDefault("tag"), q.GetValueOrDefault("tz"));
    }

    public IQueryCollection Query(DateTime now) =>
        new QueryCollection(Pairs(now).Where(p => p.Value is not null).ToDictionary(p => p.Key, p => new StringValues(p.Value)));

    /// <summary>A link to a REST download with these filters.</summary>
    public string Link(string path, DateTime now) => QueryHelpers.AddQueryString(path, Pairs(now).Where(p => p.Value is not null));

    /// <summary>The same filters without the range: for the staffing forecast, which always reads the last weeks.</summary>
    public (ReportParameters Parameters, IQueryCollection Query) WithoutRange(DateTime now)
    {
        var p = Parameters(now) with { From = null, To = null };
        var pairs = Pairs(now).Where(x => x.Value is not null && x.Key is not ("from" or "to")).ToDictionary(x => x.Key, x => new StringValues(x.Value));
        return (p, new QueryCollection(pairs));
    }

    // Custom dates are whole days in the report's time zone.
    private DateTime Local(DateTime day) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day, DateTimeKind.Unspecified), zone) : day;

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
