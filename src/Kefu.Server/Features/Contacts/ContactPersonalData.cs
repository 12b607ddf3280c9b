using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// A contact's channel identities (e-mail address, WeChat openid …), profile fields, custom attributes and agents' notes as
/// personal data: erased with the contact, and exported (<c>identities.json</c>, <c>profile.json</c>, <c>attributes.json</c>,
/// <c>notes.json</c>).
/// </summary>
internal sealed class ContactPersonalData : IPersonalDataHolder
{
    public Task EraseConversationsAsync(
        KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken)
    {
        // Explicit rather than left to the contact's cascade: an anonymised contact keeps its row but not its identities.
        tally.Add("identities", await db.ContactIdentities.Where(i => contactIds.Contains(i.ContactId)).ExecuteDeleteAsync(cancellationToken));

        // The fields agents edit (the eraser clears name, e-mail and tags): the phone and the masked originals; and the
        // customer id a page claimed for the visitor (Kefu.identify without a signature).
        await db.Contacts.Where(c => contactIds.Contains(c.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Phone, (string?)null).SetProperty(c => c.PhoneOriginal, (string?)null).SetProperty(c => c.EmailOriginal, (string?)null)
            .SetProperty(c => c.UnverifiedExternalId, (string?)null).SetProperty(c => c.Company, (string?)null).SetProperty(c => c.Language, (string?)null)
            .SetProperty(c => c.Location, (string?)null), cancellationToken);
        tally.Add("contactAttributes", await db.Set<ContactAttributeValue>().Where(v => contactIds.Contains(v.ContactId)).ExecuteDeleteAsync(cancellationToken));
        tally.Add("contactNotes", await db.Set<ContactNote>().Where(n => contactIds.Contains(n.ContactId)).ExecuteDeleteAsync(cancellationToken));
    }

    public async Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken)
    {
        var identities = await db.ContactIdentities.AsNoTracking().Where(i => i.ContactId == contactId).OrderBy(i => i.Id)
            .Select(i => new { i.Kind, i.Value, i.CreatedAt }).ToListAsync(cancellationToken);
        await export.AddJsonAsync("identities.json", identities, cancellationToken);
        // As stored, masked: exporting is not a way around the audited reveal (docs/security.md).
        var phone = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId).Select(c => c.Phone).FirstOrDefaultAsync(cancellationToken);
        await export.AddJsonAsync("phone.json", new { phone }, cancellationToken);
        var profile = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId).Select(c => new { c.Company, c.Language, c.Location }).FirstOrDefaultAsync(cancellationToken);
        await export.AddJsonAsync("profile.json", profile, cancellationToken);
        var attributes = await (from v in db.Set<ContactAttributeValue>().AsNoTracking()
                                join d in db.Set<ContactAttributeDefinition>().AsNoTracking() on v.DefinitionId equals d.Id
                                where v.ContactId == contactId
                                select new { d.Key, v.Value }).ToListAsync(cancellationToken);
        await export.AddJsonAsync("attributes.json", attributes, cancellationToken);
        // Agents' notes about the person are personal data about them too (a subject access request covers them); the
        // author's name is kept, as the note shows it in the console.
        var notes = await db.Set<ContactNote>().AsNoTracking().Where(n => n.ContactId == contactId).OrderBy(n => n.CreatedAt)
            .Select(n => new { n.AuthorName, n.Text, n.CreatedAt, n.UpdatedAt }).ToListAsync(cancellationToken);
        await export.AddJsonAsync("notes.json", notes, cancellationToken);
        var claimed = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId).Select(c => c.UnverifiedExternalId).FirstOrDefaultAsync(cancellationToken);
        if (claimed is not null)
        {
            await export.AddJsonAsync("unverified-identity.json", new { customerId = claimed }, cancellationToken);
        }
    }
}
