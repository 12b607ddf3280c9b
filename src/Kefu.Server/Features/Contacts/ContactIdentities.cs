using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>Channel identities of contacts; the one place that creates a contact for a channel.</summary>
internal sealed class ContactIdentities(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time) : IContactIdentities
{
    public const int MaxValueLength = 320;

    /// <summary>E-mail addresses compare case-insensitively; every other id exactly, trimmed.</summary>
    public static string? Normalize(IdentityKind kind, string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxValueLength || trimmed.Any(char.IsControl))
        {
            return null;
        }

        return kind == IdentityKind.Email ? trimmed.ToLowerInvariant() : trimmed;
    }

    public async Task<Guid?> ResolveAsync(Guid tenantId, IdentityKind kind, string value, string? displayName, CancellationToken cancellationToken)
    {
        if (Normalize(kind, value) is not { } normalized)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindAsync(db, tenantId, kind, normalized, cancellationToken) is { } known)
        {
            return known;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var id = Guid.CreateVersion7(now);
        var name = string.IsNullOrWhiteSpace(displayName) ? "Customer " + id.ToString("N")[^4..].ToUpperInvariant() : displayName.Trim();
        db.Contacts.Add(new Contact
        {
            Id = id, TenantId = tenantId, Name = name.Length <= 100 ? name : name[..100],
            Email = kind == IdentityKind.Email && normalized.Length <= 256 ? normalized : null, CreatedAt = now, LastSeenAt = now,
        });
        db.ContactIdentities.Add(new ContactIdentity { TenantId = tenantId, ContactId = id, Kind = kind, Value = normalized, CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return id;
        }
        catch (DbUpdateException)
        {
            // The same person's first two messages raced: the other one created the contact.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await FindAsync(again, tenantId, kind, normalized, cancellationToken);
        }
    }

    public async Task<bool> AttachAsync(Guid tenantId, Guid contactId, IdentityKind kind, string value, CancellationToken cancellationToken)
    {
        if (Normalize(kind, value) is not { } normalized)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await FindAsync(db, tenantId, kind, normalized, cancellationToken) is { } holder)
        {
            return holder == contactId;
        }

        if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.TenantId == tenantId, cancellationToken))
        {
            return false;
        }

        db.ContactIdentities.Add(new ContactIdentity
        {
            TenantId = tenantId, ContactId = contactId, Kind = kind, Value = normalized, CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // attached to another contact meanwhile
        }
    }

    public async Task<string?> MailAddressAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.ContactIdentities.AsNoTracking().Where(i => i.TenantId == tenantId && i.ContactId == contactId && i.Kind == IdentityKind.Email)
            .OrderBy(i => i.CreatedAt).Select(i => i.Value).FirstOrDefaultAsync(cancellationToken);
        if (known is not null)
        {
            return known;
        }

        // A masked address (a***@…) is not one to write to; the typed original stays encrypted for the audited reveal.
        var typed = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId && c.TenantId == tenantId).Select(c => c.Email).FirstOrDefaultAsync(cancellationToken);
        if (Normalize(IdentityKind.Email, typed ?? "") is not { } address || address.Contains('*', StringComparison.Ordinal)
            || !MimeKit.MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address || !address.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        return await AttachAsync(tenantId, contactId, IdentityKind.Email, address, cancellationToken) ? address : null;
    }

    private static Task<Guid?> FindAsync(KefuDbContext db, Guid tenantId, IdentityKind kind, string value, CancellationToken cancellationToken) =>
        db.ContactIdentities.AsNoTracking().Where(i => i.TenantId == tenantId && i.Kind == kind && i.Value == value)
            .Select(i => (Guid?)i.ContactId).FirstOrDefaultAsync(cancellationToken);
}
