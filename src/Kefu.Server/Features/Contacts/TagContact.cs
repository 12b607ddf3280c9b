using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>Adds tags to a contact for automation and macros, with the permission check and audit of <see cref="UpdateContact"/>.</summary>
internal sealed class TagContact(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit) : IContactTagging
{
    public async Task<IReadOnlyList<string>> TagsAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId && c.TenantId == tenantId).Select(c => c.Tags).FirstOrDefaultAsync(cancellationToken);
        return ContactTags.Split(stored);
    }

    public async Task<KefuError?> AddTagsAsync(AgentIdentity caller, Guid contactId, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken))
        {
            return ContactErrors.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.TenantId == caller.TenantId, cancellationToken);
        if (contact is null)
        {
            return ContactErrors.ContactNotFound;
        }

        var current = ContactTags.Split(contact.Tags);
        if (ContactTags.TryNormalize(current.Concat(tags), out var error) is not { } merged)
        {
            return ContactErrors.Invalid("tags", error!);
        }

        var joined = ContactTags.Join(merged);
        if (joined == contact.Tags)
        {
            return null;
        }

        contact.Tags = joined;
        audit.Add(db, new AuditRecord(AuditActions.ContactUpdated, "contact", contactId.ToString(), "changed=tags").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
