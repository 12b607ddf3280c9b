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
    public const int MaxTextLength = TypedValues.MaxTextLength;
    public const int MaxOptions = 50;
    public const int MaxDefinitions = 100;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    public static partial Regex KeyPattern();

    /// <summary>An unknown key (422): nothing is stored.</summary>
    public static KefuError Unknown(string key) =>
        new KefuError("unknown_attribute", $"No contact attribute '{Trim(key)}' is defined in this workspace.") with { Field = "attributes." + Trim(key) };

    /// <summary>The stored form of <paramref name="value"/> (<see cref="TypedValues"/>), or the 422 error that names the attribute.</summary>
    public static (string? Value, KefuError? Error) Normalize(ContactAttributeDefinition definition, JsonElement value) =>
        TypedValues.Normalize(definition.Type, definition.OptionList, value) is { } normal
            ? (normal, null)
            : (null, new KefuError("invalid_attribute_value", $"{definition.Key} must be {TypedValues.Expected(definition.Type, definition.OptionList)}.") with { Field = "attributes." + definition.Key });

    /// <summary>The stored form of a filter value given as text (<c>?attribute=plan:gold</c>); null when it cannot be a value.</summary>
    public static string? NormalizeText(ContactAttributeDefinition definition, string text) => TypedValues.NormalizeText(definition.Type, definition.OptionList, text);

    private static string Trim(string key) => key.Length > MaxKeyLength ? key[..MaxKeyLength] : key;
}

/// <summary>Limits of contact notes.</summary>
internal static class ContactNoteRules
{
    public const int MaxLength = 2000;
}
