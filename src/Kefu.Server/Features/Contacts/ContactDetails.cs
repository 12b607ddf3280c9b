using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// Records what a visitor says about themselves. The e-mail is a detail on the contact, not an identity: nothing proves
/// the visitor owns it, and an identity would merge them into whoever does (their history, their replies).
/// </summary>
internal sealed class ContactDetails : IContactDetails
{
    public async Task<bool> TellAsync(KefuDbContext db, Guid tenantId, Guid contactId, string? name, string? email, string? phone, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.TenantId == tenantId, cancellationToken);
        if (contact is null)
        {
            return false;
        }

        contact.Name = name ?? contact.Name;
        contact.Email = email ?? contact.Email;
        contact.Phone = phone ?? contact.Phone;
        return true;
    }
}
