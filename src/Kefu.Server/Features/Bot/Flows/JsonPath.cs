using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// The small JSON path subset HTTP actions map with: <c>$</c>, then <c>.name</c>, <c>['name']</c> or <c>[index]</c>
/// (<c>$.order.status</c>, <c>$.items[0].name</c>). Enough for reading fields of an answer; no filters or wildcards.
/// </summary>
internal static partial class JsonPath
{
    [GeneratedRegex(@"^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d{1,4}\]|\['[^'\]]{1,64}'\]){0,16}$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Form();

    [GeneratedRegex(@"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d{1,4})\]|\['([^'\]]{1,64})'\]", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Segment();

    public static bool IsValid(string? path) => path is { Length: <= 300 } && Form().IsMatch(path);

    /// <summary>The value at <paramref name="path"/> as text (a string as is, a number or boolean invariant, an object or array as JSON); null when absent.</summary>
    public static string? Read(JsonNode? root, string path)
    {
        var node = root;
        foreach (Match m in Segment().Matches(path))
        {
            node = node switch
            {
                JsonObject o when m.Groups[1].Success => o[m.Groups[1].Value],
                JsonObject o when m.Groups[3].Success => o[m.Groups[3].Value],
                JsonArray a when m.Groups[2].Success && int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) is var i && i < a.Count => a[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => node.ToJsonString(),
        };
    }
}
