using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// Moves one contact into another (ADR 0023): conversations and channel identities move, tags join, empty details are
/// filled from the merged contact, which is left as a pointer to the survivor. The caller holds a transaction: the
/// set-based moves run at once, the tracked changes at its SaveChanges.
/// </summary>
internal static class ContactMerge
{
    /// <summary>True when both hold a verified integrator id and the ids differ: two signed-in customers are never one.</summary>
    public static async Task<bool> ConflictsAsync(KefuDbContext db, Guid fromId, Guid intoId, CancellationToken cancellationToken)
    {
        var ids = await db.ContactIdentities.AsNoTracking().Where(i => (i.ContactId == fromId || i.ContactId == intoId) && i.Kind == IdentityKind.External)
            .Select(i => i.ContactId).Distinct().CountAsync(cancellationToken);
        return ids == 2;
    }

    public static async Task MoveAsync(KefuDbContext db, Contact from, Contact into, CancellationToken cancellationToken)
    {
        await db.Conversations.Where(c => c.ContactId == from.Id && c.TenantId == from.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ContactId, into.Id), cancellationToken);
        await db.ContactIdentities.Where(i => i.ContactId == from.Id && i.TenantId == from.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ContactId, into.Id), cancellationToken);

        // Tags join up to the cap: the survivor's own come first, so a full survivor keeps exactly what it had.
        into.Tags = ContactTags.Join(ContactTags.Split(into.Tags).Concat(ContactTags.Split(from.Tags))
            .DistinctBy(t => t.ToUpperInvariant()).Take(ContactTags.MaxCount));
        if (into.Email is null)
        {
            (into.Email, into.EmailOriginal) = (from.Email, from.EmailOriginal);
        }

        if (into.Phone is null)
        {
            (into.Phone, into.PhoneOriginal) = (from.Phone, from.PhoneOriginal);
        }

        // An unverified claim joins only a contact with no verified id of its own (never shown beside a verified one).
        if (into.UnverifiedExternalId is null && !await db.ContactIdentities.AnyAsync(i => i.ContactId == into.Id && i.Kind == IdentityKind.External, cancellationToken))
        {
            into.UnverifiedExternalId = from.UnverifiedExternalId;
        }

        into.CreatedAt = from.CreatedAt < into.CreatedAt ? from.CreatedAt : into.CreatedAt;
        into.LastSeenAt = from.LastSeenAt > into.LastSeenAt ? from.LastSeenAt : into.LastSeenAt;
        from.MergedIntoId = into.Id;
        from.Tags = "";
        from.UnverifiedExternalId = null;
    }
}
