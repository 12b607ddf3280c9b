using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Analytics;

/// <summary>The errors of report requests; <see cref="KefuProblems"/> maps them to problem details.</summary>
internal static class AnalyticsErrors
{
    public static readonly KefuError Forbidden = new("forbidden", "Reports need the Reports permission.");
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "No such inbox.") { Field = "inbox" };

    public static KefuError UnknownFilter(string name) =>
        new("unknown_report_filter", "Unknown report parameter; use from, to, inbox, channel, team, agent, tag or tz.") { Field = Safe(name) };

    public static KefuError InvalidFilter(string field) => new("invalid_report_filter", "This report filter has an invalid value.") { Field = field };

    public static KefuError InvalidRange(string field) =>
        new("invalid_report_range", "The range must be ISO 8601 times with from before to.") { Field = field };

    public static KefuError RangeTooLong(int days) =>
        new("report_range_too_long", $"A report covers at most {days} days.") { Field = "to" };

    public static KefuError NotFound(string field) => new(field + "_not_found", "No such " + field + ".") { Field = field };

    /// <summary>The caller's parameter name, echoed only when it is a plain short word (never a reflected script or a long string).</summary>
    private static string Safe(string name) => name.Length <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? name : "?";
}
