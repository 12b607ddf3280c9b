using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>Typed errors of contact reading and editing. Each changes nothing.</summary>
public static class ContactErrors
{
    /// <summary>No such contact in the caller's workspace.</summary>
    public static readonly KefuError ContactNotFound = new("contact_not_found", "No such contact.");

    /// <summary>The caller's role has no contacts permission.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "Your role may not see or edit contacts.");

    /// <summary>A field is malformed; <see cref="KefuError.Field"/> names it.</summary>
    /// <param name="field">The camelCase request field.</param>
    /// <param name="message">What is wrong, in English for developers.</param>
    public static KefuError Invalid(string field, string message) => new KefuError("invalid_contact", message) with { Field = field };
}

/// <summary>A contact as lists and the edit form show it. E-mail and phone are as stored: masked when masking took them.</summary>
/// <param name="Id">Contact id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">E-mail, when known.</param>
/// <param name="Phone">Phone, when known.</param>
/// <param name="Tags">Tags (<c>vip</c> …).</param>
/// <param name="CreatedAt">First seen, UTC.</param>
/// <param name="LastSeenAt">Last seen, UTC.</param>
public sealed record ContactSummary(Guid Id, string Name, string? Email, string? Phone, IReadOnlyList<string> Tags, DateTime CreatedAt, DateTime LastSeenAt);
