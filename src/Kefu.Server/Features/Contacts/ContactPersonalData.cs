using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>A contact's channel identities (e-mail address, WeChat openid …) as personal data: erased with the contact, and exported.</summary>
internal sealed class ContactPersonalData : IPersonalDataHolder
{
    public Task EraseConversationsAsync(
        KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken) =>
        // Explicit rather than left to the contact's cascade: an anonymised contact keeps its row but not its identities.
        tally.Add("identities", await db.ContactIdentities.Where(i => contactIds.Contains(i.ContactId)).ExecuteDeleteAsync(cancellationToken));

    public async Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken)
    {
        var identities = await db.ContactIdentities.AsNoTracking().Where(i => i.ContactId == contactId).OrderBy(i => i.Id)
            .Select(i => new { i.Kind, i.Value, i.CreatedAt }).ToListAsync(cancellationToken);
        await export.AddJsonAsync("identities.json", identities, cancellationToken);
    }
}
