using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>What the host page says about its signed-in visitor (<c>Kefu.identify</c>).</summary>
/// <param name="Id">The integrator's own customer id, 1–200 characters.</param>
/// <param name="Name">Display name, optional.</param>
/// <param name="Email">E-mail, optional.</param>
/// <param name="Hash">Hex HMAC-SHA256 of the id with the inbox's identity secret, or an HS256 JWT (sub = id) signed with it; optional unless the inbox enforces verification.</param>
/// <param name="Company">Company, optional; replaces the stored one.</param>
/// <param name="Language">Preferred language (BCP 47), optional; replaces the stored one.</param>
/// <param name="Location">Location, optional; replaces the stored one.</param>
/// <param name="Attributes">Custom attribute values by key; applied only when the identity is verified (an unsigned page could claim anything). A wrong type refuses the whole call (422).</param>
/// <param name="WidgetLanguage">The widget's own language, sent by the widget: the contact's language when it has none and <paramref name="Language"/> is not given.</param>
public sealed record IdentifyRequest(
    string? Id, string? Name = null, string? Email = null, string? Hash = null, string? Company = null, string? Language = null, string? Location = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Attributes = null, string? WidgetLanguage = null);

/// <summary>Who the visitor is after identifying.</summary>
/// <param name="ContactId">The contact the widget continues as: the verified customer's own, or the visitor's.</param>
/// <param name="Verified">True when the signature was checked.</param>
public sealed record IdentifiedVisitor(Guid ContactId, bool Verified);

/// <summary>
/// Turns a widget visitor's identify call into a contact (ADR 0023). A verified id finds the customer's one contact on
/// any device; an unverified one is only a claim on the visitor's own contact and never finds or merges anything.
/// </summary>
internal interface IVisitorIdentification
{
    /// <summary>
    /// Checks and applies the call for the visitor (<paramref name="contactId"/> of <paramref name="inboxId"/>). A refused
    /// call changes nothing.
    /// </summary>
    Task<(IdentifiedVisitor? Visitor, KefuError? Error)> IdentifyAsync(Guid tenantId, Guid inboxId, Guid contactId, IdentifyRequest request, CancellationToken cancellationToken);
}
