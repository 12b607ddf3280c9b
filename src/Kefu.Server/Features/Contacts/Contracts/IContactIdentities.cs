namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>What a channel knows a customer by.</summary>
public enum IdentityKind
{
    /// <summary>An e-mail address (compared case-insensitively).</summary>
    Email,

    /// <summary>A WeChat openid: one person in one official account or mini program.</summary>
    WeChatOpenId,

    /// <summary>A WeChat unionid: one person across the accounts of one WeChat Open Platform owner.</summary>
    WeChatUnionId,

    /// <summary>WeCom customer service's external user id.</summary>
    WeComExternalUserId,

    /// <summary>The integrator's own customer id (a logged-in shop user).</summary>
    External,
}

/// <summary>
/// Finds the contact a channel identity belongs to, creating the contact on first contact: how every inbound
/// channel turns "who sent this" into one contact with one history.
/// </summary>
public interface IContactIdentities
{
    /// <summary>The contact holding this identity; a new contact named <paramref name="displayName"/> if none does.</summary>
    /// <returns>The contact id, or null when <paramref name="value"/> is empty or too long.</returns>
    Task<Guid?> ResolveAsync(Guid tenantId, IdentityKind kind, string value, string? displayName, CancellationToken cancellationToken);

    /// <summary>Adds an identity to an existing contact (a visitor who tells us their e-mail). False when another contact holds it.</summary>
    Task<bool> AttachAsync(Guid tenantId, Guid contactId, IdentityKind kind, string value, CancellationToken cancellationToken);

    /// <summary>
    /// The address to start a mail thread with the contact (an agent's first reply to a ticket they opened for them): their
    /// e-mail identity, else the e-mail on their profile, which then becomes their e-mail identity so that the answer
    /// finds this contact again. Null when they have no usable address (none, a masked one, or one another contact holds).
    /// </summary>
    Task<string?> MailAddressAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken);
}
