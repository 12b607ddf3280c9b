using System.Globalization;

namespace Kefu.Server.Console.Pages.Reports;

/// <summary>How the dashboards write numbers: one place, so a card, a table and a tooltip agree. "—" means nothing was measured.</summary>
internal static class ReportFormat
{
    public const string None = "—";

    public static string Duration(double? seconds) => seconds is { } s ? QueueText.Duration((int)Math.Round(s)) : None;

    public static string Percent(double? share) => share is { } s ? s.ToString("P1", CultureInfo.CurrentCulture) : None;

    public static string Number(double? value) => value is { } v ? v.ToString("#,0.#", CultureInfo.CurrentCulture) : None;

    /// <summary>The raw value for tests and tools (invariant; empty when null): what the API returned, unformatted.</summary>
    public static string Raw(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>The change from the previous period as a relative share (+12.5%), or null when either side is missing or zero.</summary>
    public static double? Change(double? current, double? previous) =>
        current is { } c && previous is { } p && p != 0 ? (c - p) / Math.Abs(p) : null;

    public static string Signed(double? change) =>
        change is { } c ? (c > 0 ? "+" : "") + c.ToString("P0", CultureInfo.CurrentCulture) : None;
}
