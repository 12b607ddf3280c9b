namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>The type of a custom contact attribute; a value of the wrong type is refused (422 <c>invalid_attribute_value</c>).</summary>
public enum ContactAttributeType
{
    /// <summary>Single-line text, up to 200 characters.</summary>
    Text,

    /// <summary>A decimal number, stored in invariant culture (<c>1234.5</c>).</summary>
    Number,

    /// <summary>A calendar date, stored as <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>One of the definition's options.</summary>
    List,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>A custom attribute an admin defined for the workspace's contacts.</summary>
/// <param name="Id">Definition id.</param>
/// <param name="Key">Stable key used by the API and <c>Kefu.identify</c> (<c>plan</c>, <c>signup_date</c>).</param>
/// <param name="LabelEn">English label.</param>
/// <param name="LabelZh">Chinese label.</param>
/// <param name="Type">Value type.</param>
/// <param name="Options">The allowed values of a <see cref="ContactAttributeType.List"/>; empty otherwise.</param>
public sealed record ContactAttributeDefinitionDto(Guid Id, string Key, string LabelEn, string LabelZh, ContactAttributeType Type, IReadOnlyList<string> Options);

/// <summary>A contact's value of a custom attribute, in its stored (normalised) form.</summary>
/// <param name="Key">The definition's key.</param>
/// <param name="LabelEn">English label.</param>
/// <param name="LabelZh">Chinese label.</param>
/// <param name="Type">Value type.</param>
/// <param name="Value">The value: text, an invariant number, <c>yyyy-MM-dd</c>, an option, or <c>true</c>/<c>false</c>.</param>
public sealed record ContactAttributeValueDto(string Key, string LabelEn, string LabelZh, ContactAttributeType Type, string Value);

/// <summary>A note an agent wrote on a contact.</summary>
/// <param name="Id">Note id.</param>
/// <param name="AuthorId">The agent who wrote it; only they edit or delete it.</param>
/// <param name="AuthorName">Their display name when they wrote it.</param>
/// <param name="Text">The note, plain text (shown as text, never HTML).</param>
/// <param name="CreatedAt">Written, UTC.</param>
/// <param name="UpdatedAt">Last edited, UTC; null when never edited.</param>
public sealed record ContactNoteDto(Guid Id, Guid AuthorId, string AuthorName, string Text, DateTime CreatedAt, DateTime? UpdatedAt);
