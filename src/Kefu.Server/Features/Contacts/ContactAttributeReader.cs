using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>The <see cref="IContactAttributeReader"/> over the definitions and values tables.</summary>
internal sealed class ContactAttributeReader(IDbContextFactory<KefuDbContext> dbFactory) : IContactAttributeReader
{
    public async Task<ContactAttributeDefinitionDto?> FindAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var definition = await db.Set<ContactAttributeDefinition>().AsNoTracking().FirstOrDefaultAsync(d => d.TenantId == tenantId && d.Key == key, cancellationToken);
        return definition?.ToDto();
    }

    public async Task<IReadOnlyDictionary<string, ContactAttributeValueDto>> ValuesAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from v in db.Set<ContactAttributeValue>().AsNoTracking()
                          join d in db.Set<ContactAttributeDefinition>().AsNoTracking() on v.DefinitionId equals d.Id
                          where v.ContactId == contactId && v.TenantId == tenantId && d.TenantId == tenantId
                          select new ContactAttributeValueDto(d.Key, d.LabelEn, d.LabelZh, d.Type, v.Value)).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
    }
}
