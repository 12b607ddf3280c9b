using System.Net.Mail;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// <c>Kefu.identify({ id, name, email, hash })</c> on the contacts side (the widget's endpoint issues the token):
/// a valid signature makes the id a key to the customer's one contact; without one, on an inbox that allows it, the id
/// is only an unverified claim on the visitor's own contact. Rules in ADR 0023.
/// </summary>
internal sealed partial class IdentifyVisitor(
    IDbContextFactory<KefuDbContext> dbFactory, IdentitySecrets secrets, ContactAttributeWriter attributes, IEnumerable<IContactMergeParticipant> participants, TimeProvider time,
    ILogger<IdentifyVisitor> logger)
    : IVisitorIdentification
{
    public const int MaxIdLength = 200;

    public async Task<(IdentifiedVisitor? Visitor, KefuError? Error)> IdentifyAsync(
        Guid tenantId, Guid inboxId, Guid contactId, IdentifyRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return (null, invalid);
        }

        var id = request.Id!.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.Set<InboxIdentityKey>().AsNoTracking().FirstOrDefaultAsync(k => k.InboxId == inboxId && k.TenantId == tenantId, cancellationToken);
        var verified = !string.IsNullOrEmpty(request.Hash);
        if (verified && (key is null || secrets.Reveal(key.SecretCipher) is not { } secret ||
                         !await IdentitySignature.MatchesAsync(secret, id, request.Hash!, time.GetUtcNow())))
        {
            LogRefused(logger, inboxId, contactId);
            return (null, ContactErrors.IdentityHashInvalid);
        }

        if (!verified && key?.Enforce == true)
        {
            LogRefused(logger, inboxId, contactId);
            return (null, ContactErrors.IdentityVerificationRequired);
        }

        var current = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.TenantId == tenantId && c.MergedIntoId == null, cancellationToken);
        if (current is null)
        {
            return (null, ContactErrors.ContactNotFound);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var target = verified ? await VerifiedAsync(db, current, id, cancellationToken) : await UnverifiedAsync(db, current, id, cancellationToken);
        Tell(target, request);
        if (verified)
        {
            // Attributes come only from a signed call; an error here returns before the commit, so nothing of the call stays.
            var (attributeError, _) = await attributes.ApplyAsync(db, tenantId, target.Id, request.Attributes, cancellationToken);
            if (attributeError is not null)
            {
                return (null, attributeError);
            }
        }

        target.LastSeenAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new IdentifiedVisitor(target.Id, verified), null);
    }

    /// <summary>The contact holding the verified id; the visitor's own when nobody holds it yet.</summary>
    private async Task<Contact> VerifiedAsync(KefuDbContext db, Contact current, string id, CancellationToken cancellationToken)
    {
        var holderId = await db.ContactIdentities.Where(i => i.TenantId == current.TenantId && i.Kind == IdentityKind.External && i.Value == id)
            .Select(i => (Guid?)i.ContactId).FirstOrDefaultAsync(cancellationToken);
        if (holderId == current.Id)
        {
            return current;
        }

        var ownIdentities = await db.ContactIdentities.AnyAsync(i => i.ContactId == current.Id, cancellationToken);
        if (holderId is { } holder)
        {
            var known = await db.Contacts.FirstAsync(c => c.Id == holder, cancellationToken);
            // An anonymous visitor who signs in: what they wrote before signing in is the customer's, on this device.
            // A visitor who is someone else (holds an identity) is a different person on a shared device: left as is.
            if (!ownIdentities)
            {
                await ContactMerge.MoveAsync(db, current, known, participants, cancellationToken);
            }

            return known;
        }

        // A first sign-in: the visitor's contact becomes the customer's, unless it already is another customer's.
        var target = ownIdentities ? NewContact(current.TenantId) : current;
        if (ownIdentities)
        {
            db.Contacts.Add(target);
        }

        target.UnverifiedExternalId = null;
        db.ContactIdentities.Add(new ContactIdentity
        {
            TenantId = current.TenantId, ContactId = target.Id, Kind = IdentityKind.External, Value = id, CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        return target;
    }

    /// <summary>An unsigned id: a label on the visitor's own contact, never a way to another contact's history.</summary>
    private async Task<Contact> UnverifiedAsync(KefuDbContext db, Contact current, string id, CancellationToken cancellationToken)
    {
        var verifiedId = await db.ContactIdentities.Where(i => i.ContactId == current.Id && i.Kind == IdentityKind.External)
            .Select(i => i.Value).FirstOrDefaultAsync(cancellationToken);
        if (verifiedId == id)
        {
            return current; // the same customer, already verified on this device: nothing to claim
        }

        // A signed-in customer's device now claims someone else without proof: a new anonymous contact for the claim,
        // so the claimant never writes into (or reads) the verified customer's history.
        var target = verifiedId is null ? current : NewContact(current.TenantId);
        if (verifiedId is not null)
        {
            db.Contacts.Add(target);
        }

        target.UnverifiedExternalId = id;
        return target;
    }

    private Contact NewContact(Guid tenantId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = Guid.CreateVersion7(now);
        return new Contact { Id = id, TenantId = tenantId, Name = "Visitor " + id.ToString("N")[^4..].ToUpperInvariant(), CreatedAt = now, LastSeenAt = now };
    }

    private static void Tell(Contact contact, IdentifyRequest request)
    {
        if (SafeText.SingleLine(request.Name) is { Length: > 0 } name)
        {
            contact.Name = name;
        }

        // An e-mail set by an agent (maybe masked, with its original) is theirs to change; the page only fills a gap.
        if (request.Email?.Trim() is { Length: > 0 } email && contact.Email is null)
        {
            contact.Email = email;
        }

        // The shop's record is the source for company and location; the widget's language only fills a gap.
        contact.Company = SafeText.SingleLine(request.Company) is { Length: > 0 } company ? company : contact.Company;
        contact.Location = SafeText.SingleLine(request.Location) is { Length: > 0 } location ? location : contact.Location;
        contact.Language = request.Language?.Trim() is { Length: > 0 } language ? language
            : contact.Language ?? (request.WidgetLanguage?.Trim() is { Length: > 0 } widget && UpdateContact.ProfileError(null, widget, null) is null ? widget : null);
    }

    private static KefuError? Validate(IdentifyRequest request)
    {
        var id = request.Id?.Trim();
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || id.Any(char.IsControl))
        {
            return ContactErrors.InvalidIdentity("id", $"id must be 1 to {MaxIdLength} characters without control characters.");
        }

        if (request.Name is { } name && (SafeText.SingleLine(name).Length > 100 || name.Length > 400))
        {
            return ContactErrors.InvalidIdentity("name", "name must be at most 100 characters.");
        }

        if (request.Email?.Trim() is { Length: > 0 } email && (email.Length > 256 || !MailAddress.TryCreate(email, out var address) ||
                                                           address.Address != email || !address.Host.Contains('.', StringComparison.Ordinal)))
        {
            return ContactErrors.InvalidIdentity("email", "email is not an e-mail address.");
        }

        if (UpdateContact.ProfileError(request.Company, request.Language, request.Location) is { } profile)
        {
            return ContactErrors.InvalidIdentity(profile.Field!, profile.Message);
        }

        return request.Hash is { Length: > IdentitySignature.MaxLength }
            ? ContactErrors.InvalidIdentity("hash", $"hash must be at most {IdentitySignature.MaxLength} characters.")
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Identify refused for a visitor of inbox {InboxId} (contact {ContactId}): bad or missing signature")]
    private static partial void LogRefused(ILogger logger, Guid inboxId, Guid contactId);
}
