using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>What a customer tells about themselves (a widget's pre-chat form), recorded on their contact.</summary>
internal interface IContactDetails
{
    /// <summary>
    /// Sets the given name, e-mail and phone on the contact, tracked in <paramref name="db"/> so the caller saves them in
    /// its own transaction; a null value keeps what the contact has. Values must be validated by the caller.
    /// </summary>
    /// <returns>False when the workspace has no such contact.</returns>
    Task<bool> TellAsync(KefuDbContext db, Guid tenantId, Guid contactId, string? name, string? email, string? phone, CancellationToken cancellationToken);
}
