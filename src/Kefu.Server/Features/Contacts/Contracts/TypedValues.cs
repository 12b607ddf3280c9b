using System.Globalization;
using System.Text.Json;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>
/// The one normal form of an admin-defined typed value (contact attributes, ticket custom fields): a value is accepted
/// in its JSON type or as the string a form sends (<c>"42"</c> for a number, <c>"true"</c> for a boolean) and stored as
/// text, so a filter compares stored text with stored text. Shared so both capabilities refuse and store alike.
/// </summary>
public static class TypedValues
{
    /// <summary>The longest text value.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The stored form of <paramref name="value"/> for <paramref name="type"/>; null when it is not such a value.</summary>
    /// <param name="type">The value type.</param>
    /// <param name="options">A list's options (ignored for other types).</param>
    /// <param name="value">The value as sent.</param>
    public static string? Normalize(ContactAttributeType type, IReadOnlyList<string> options, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        return type switch
        {
            ContactAttributeType.Text when text is { Length: > 0 and <= MaxTextLength } && SafeText.IsSingleLine(text) => SafeText.SingleLine(text),
            ContactAttributeType.Number => Number(value, text),
            ContactAttributeType.Date when text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) =>
                date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ContactAttributeType.List => options.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase)),
            ContactAttributeType.Boolean => value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => text?.ToLowerInvariant() is "true" or "false" ? text.ToLowerInvariant() : null,
            },
            _ => null,
        };
    }

    /// <summary>The stored form of a value given as text (a query string's); null when it cannot be a value.</summary>
    public static string? NormalizeText(ContactAttributeType type, IReadOnlyList<string> options, string text) =>
        Normalize(type, options, JsonSerializer.SerializeToElement(text));

    /// <summary>What a value of <paramref name="type"/> must be, for the error message (English; clients show their own text by code).</summary>
    public static string Expected(ContactAttributeType type, IReadOnlyList<string> options) => type switch
    {
        ContactAttributeType.Text => $"single-line text of 1 to {MaxTextLength} characters",
        ContactAttributeType.Number => "a number",
        ContactAttributeType.Date => "a date as yyyy-MM-dd",
        ContactAttributeType.List => "one of: " + string.Join(", ", options),
        _ => "true or false",
    };

    private static string? Number(JsonElement value, string? text)
    {
        var raw = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : text;
        return raw is { Length: > 0 and <= 40 } && decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;
    }
}
