using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace Kefu.Server.Console;

/// <summary>
/// Names as the console shows them. A visitor who has not told us their name is stored as "Visitor 1A2B" (the
/// contact id's last four hex digits, the same in every language); the console says it in the reader's language.
/// </summary>
internal static partial class Names
{
    public static string Contact(string name, IStringLocalizer localizer) =>
        Placeholder().Match(name) is { Success: true } match ? localizer["VisitorName", match.Groups[1].Value].Value : name;

    [GeneratedRegex("^Visitor ([0-9A-F]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
