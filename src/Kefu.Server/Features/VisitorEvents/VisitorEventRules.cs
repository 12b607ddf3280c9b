using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.VisitorEvents;

/// <summary>
/// What a host page may send through the SDK: event names, and flat objects of properties or attributes. The loader
/// passes names and values on as they are, so these rules are the only ones (docs/sdk.md lists them for integrators).
/// </summary>
internal static partial class VisitorEventRules
{
    /// <summary>An event name: a letter, then letters, digits, <c>_ . -</c>; 64 characters at most (<c>cart.updated</c>).</summary>
    public const string NamePattern = "^[A-Za-z][A-Za-z0-9_.-]{0,63}$";

    /// <summary>A property or attribute key: a letter, then letters, digits or <c>_</c>; 40 characters at most.</summary>
    public const string KeyPattern = "^[A-Za-z][A-Za-z0-9_]{0,39}$";

    public const int MaxNameLength = 64;

    /// <summary>Properties of one event: 20 keys, 2 KB as stored.</summary>
    public const int MaxProps = 20;
    public const int MaxPropsBytes = 2048;

    /// <summary>Attributes of one visitor, after merging: 50 keys, 4 KB as stored.</summary>
    public const int MaxAttributes = 50;
    public const int MaxAttributesBytes = 4096;

    /// <summary>A string value: 255 characters at most.</summary>
    public const int MaxStringLength = 255;

    /// <summary>The largest request body either endpoint reads; anything longer is refused before it is parsed.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static readonly KefuError InvalidName = new("invalid_event_name",
        "The event name must start with a letter and hold only letters, digits, '_', '.' or '-' (64 at most).") { Field = "name" };

    [GeneratedRegex(NamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(KeyPattern, RegexOptions.CultureInvariant)]
    private static partial Regex Key();

    public static bool IsName(string? name) => name is not null && Name().IsMatch(name);

    /// <summary>
    /// Reads a flat object: keys by <see cref="KeyPattern"/>, each value a string (up to <see cref="MaxStringLength"/>),
    /// a number, true or false, or null when <paramref name="nullRemoves"/> (an attribute to remove). Null or absent
    /// reads as empty. Nested objects, arrays and repeated keys are refused with <paramref name="field"/>.
    /// </summary>
    public static (Dictionary<string, JsonElement>? Values, KefuError? Error) Flat(JsonElement? value, string field, int maxKeys, bool nullRemoves)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (value is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (values, null);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, Invalid(field, "must be an object of keys and values"));
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!Key().IsMatch(property.Name))
            {
                return (null, Invalid(field, "has a key that is not a letter followed by letters, digits or '_' (40 at most)"));
            }

            var ok = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!.Length <= MaxStringLength,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
                JsonValueKind.Null => nullRemoves,
                _ => false,
            };
            if (!ok)
            {
                return (null, Invalid(field, $"values must be strings of {MaxStringLength} characters at most, numbers or true/false"));
            }

            if (!values.TryAdd(property.Name, property.Value.Clone()))
            {
                return (null, Invalid(field, "has a key twice"));
            }
        }

        return values.Count > maxKeys ? (null, Invalid(field, $"has more than {maxKeys} keys")) : (values, null);
    }

    /// <summary>The values as compact JSON, written by the server: what is stored is never the page's own text.</summary>
    public static string Serialize(IReadOnlyDictionary<string, JsonElement> values) => JsonSerializer.Serialize(values);

    public static KefuError Invalid(string field, string why) =>
        new("invalid_" + field, $"'{field}' {why}.") { Field = field };
}
