using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// Moves one contact into another (ADR 0023, 0028): conversations, channel identities, notes and attribute values move
/// (the survivor's value wins where both have one), other capabilities' rows move through their
/// <see cref="IContactMergeParticipant"/> (tickets), tags join, empty details are filled from the merged contact, which
/// is left as a pointer to the survivor. The caller holds a transaction: the set-based moves run at once, the tracked
/// changes at its SaveChanges.
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

    /// <returns>The moved rows' counts by kind (<c>conversations</c>, and each participant's kind), for the audit entry.</returns>
    public static async Task<IReadOnlyList<(string Kind, int Count)>> MoveAsync(
        KefuDbContext db, Contact from, Contact into, IEnumerable<IContactMergeParticipant> participants, CancellationToken cancellationToken)
    {
        var moved = new List<(string, int)>
        {
            ("conversations", await db.Conversations.Where(c => c.ContactId == from.Id && c.TenantId == from.TenantId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ContactId, into.Id), cancellationToken)),
        };
        await db.ContactIdentities.Where(i => i.ContactId == from.Id && i.TenantId == from.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ContactId, into.Id), cancellationToken);
        await db.Set<ContactNote>().Where(n => n.ContactId == from.Id && n.TenantId == from.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ContactId, into.Id), cancellationToken);
        // The survivor wins: the merged contact's value of an attribute the survivor has is dropped, the others move.
        var survivorHas = db.Set<ContactAttributeValue>().Where(v => v.ContactId == into.Id).Select(v => v.DefinitionId);
        await db.Set<ContactAttributeValue>().Where(v => v.ContactId == from.Id && survivorHas.Contains(v.DefinitionId)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<ContactAttributeValue>().Where(v => v.ContactId == from.Id && v.TenantId == from.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.ContactId, into.Id), cancellationToken);
        foreach (var participant in participants)
        {
            moved.Add((participant.Kind, await participant.MoveAsync(db, from.TenantId, from.Id, into.Id, cancellationToken)));
        }

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

        into.Company ??= from.Company;
        into.Language ??= from.Language;
        into.Location ??= from.Location;

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
        return moved;
    }
}
