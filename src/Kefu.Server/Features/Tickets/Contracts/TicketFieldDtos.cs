using Kefu.Server.Features.Contacts.Contracts;

namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>A custom ticket field an admin defined.</summary>
/// <param name="Id">Definition id.</param>
/// <param name="Key">Stable key the API uses (<c>order_number</c>): <c>fields.order_number</c> in a ticket's body.</param>
/// <param name="LabelEn">English label.</param>
/// <param name="LabelZh">Chinese label.</param>
/// <param name="Type">Value type: text, number, date, list (a dropdown) or boolean (a checkbox).</param>
/// <param name="Options">A dropdown's options; empty otherwise.</param>
/// <param name="Required">Agents and the API must give it when creating a ticket and cannot clear it (not while archived).</param>
/// <param name="Archived">Archived: hidden from new tickets and forms, not writable; its values stay readable on tickets and in filters.</param>
public sealed record TicketFieldDto(Guid Id, string Key, string LabelEn, string LabelZh, ContactAttributeType Type, IReadOnlyList<string> Options, bool Required, bool Archived = false);

/// <summary>A ticket's value of a custom field.</summary>
/// <param name="Key">The field's key.</param>
/// <param name="Value">The stored form: text, an invariant number, <c>yyyy-MM-dd</c>, an option, or <c>true</c>/<c>false</c>.</param>
public sealed record TicketFieldValueDto(string Key, string Value);

/// <summary>A new custom ticket field.</summary>
/// <param name="Key">Lowercase letters, digits and <c>_</c>, starting with a letter, at most 40.</param>
/// <param name="LabelEn">English label, 1–60 characters.</param>
/// <param name="LabelZh">Chinese label, 1–60 characters.</param>
/// <param name="Type">Value type.</param>
/// <param name="Options">For a list: 1–50 distinct options of 1–60 characters.</param>
/// <param name="Required">Whether a value is required.</param>
public sealed record TicketFieldInput(string? Key, string? LabelEn, string? LabelZh, ContactAttributeType? Type, IReadOnlyList<string>? Options = null, bool Required = false);

/// <summary>
/// A change to a custom ticket field. The key and the type are fixed once the field exists (stored values and API
/// clients depend on them): to change either, delete the field and define a new one.
/// </summary>
/// <param name="LabelEn">English label, 1–60 characters.</param>
/// <param name="LabelZh">Chinese label, 1–60 characters.</param>
/// <param name="Options">For a list: 1–50 distinct options; an option a ticket still holds cannot be removed.</param>
/// <param name="Required">Whether a value is required on new tickets (existing tickets are not checked again).</param>
public sealed record TicketFieldChange(string? LabelEn, string? LabelZh, IReadOnlyList<string>? Options = null, bool Required = false);
