using System.Globalization;

namespace Kefu.Server.Console;

/// <summary>Short durations for queue and wait displays ("45s", "3m 20s", "1h 5m"): digits and unit letters read the same in both languages.</summary>
internal static class QueueText
{
    public static string Duration(int seconds) =>
        seconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{seconds}s")
        : seconds < 3600 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m {seconds % 60}s")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h {seconds / 60 % 60}m");
}
