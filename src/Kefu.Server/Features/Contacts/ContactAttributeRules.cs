using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// What a custom attribute's key, labels and values may be. A value is accepted in its JSON type or as the string a form
/// sends (<c>"42"</c> for a number, <c>"true"</c> for a boolean) and stored in one normal form, so filters compare
/// stored text with stored text.
/// </summary>
internal static partial class ContactAttributeRules
{
    public const int MaxKeyLength = 40;
    public const int MaxLabelLength = 60;
    public const int MaxTextLength = 200;
    public const int MaxOptions = 50;
    public const int MaxDefinitions = 100;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    public static partial Regex KeyPattern();

    /// <summary>An unknown key (422): nothing is stored.</summary>
    public static KefuError Unknown(string key) =>
        new KefuError("unknown_attribute", $"No contact attribute '{Trim(key)}' is defined in this workspace.") with { Field = "attributes." + Trim(key) };

    /// <summary>The stored form of <paramref name="value"/>, or the 422 error that names the attribute.</summary>
    public static (string? Value, KefuError? Error) Normalize(ContactAttributeDefinition definition, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        string? normal = definition.Type switch
        {
            ContactAttributeType.Text when text is { Length: > 0 and <= MaxTextLength } && SafeText.IsSingleLine(text) => SafeText.SingleLine(text),
            ContactAttributeType.Number => Number(value, text),
            ContactAttributeType.Date when text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) =>
                date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ContactAttributeType.List => definition.OptionList.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase)),
            ContactAttributeType.Boolean => value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => text?.ToLowerInvariant() is "true" or "false" ? text.ToLowerInvariant() : null,
            },
            _ => null,
        };
        return normal is null
            ? (null, new KefuError("invalid_attribute_value", $"{definition.Key} must be {Expected(definition)}.") with { Field = "attributes." + definition.Key })
            : (normal, null);
    }

    /// <summary>The stored form of a filter value given as text (<c>?attribute=plan:gold</c>); null when it cannot be a value.</summary>
    public static string? NormalizeText(ContactAttributeDefinition definition, string text) =>
        Normalize(definition, JsonSerializer.SerializeToElement(text)).Value;

    private static string? Number(JsonElement value, string? text)
    {
        var raw = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : text;
        return raw is { Length: > 0 and <= 40 } && decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private static string Expected(ContactAttributeDefinition d) => d.Type switch
    {
        ContactAttributeType.Text => $"single-line text of 1 to {MaxTextLength} characters",
        ContactAttributeType.Number => "a number",
        ContactAttributeType.Date => "a date as yyyy-MM-dd",
        ContactAttributeType.List => "one of: " + string.Join(", ", d.OptionList),
        _ => "true or false",
    };

    private static string Trim(string key) => key.Length > MaxKeyLength ? key[..MaxKeyLength] : key;
}

/// <summary>Limits of contact notes.</summary>
internal static class ContactNoteRules
{
    public const int MaxLength = 2000;
}
