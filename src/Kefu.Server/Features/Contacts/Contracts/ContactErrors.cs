using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>Typed errors of contact reading and editing. Each changes nothing.</summary>
public static class ContactErrors
{
    /// <summary>No such contact in the caller's workspace.</summary>
    public static readonly KefuError ContactNotFound = new("contact_not_found", "No such contact.");

    /// <summary>The caller's role has no contacts permission.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "Your role may not see or edit contacts.");

    /// <summary>A field is malformed; <see cref="KefuError.Field"/> names it.</summary>
    /// <param name="field">The camelCase request field.</param>
    /// <param name="message">What is wrong, in English for developers.</param>
    public static KefuError Invalid(string field, string message) => new KefuError("invalid_contact", message) with { Field = field };

    /// <summary>An identify call whose <c>hash</c> is not the id's signature with the inbox's secret (or the inbox has none).</summary>
    public static readonly KefuError IdentityHashInvalid = new KefuError("identity_hash_invalid", "The identity's hash is not its signature with this inbox's identity secret.") with { Field = "hash" };

    /// <summary>An identify call without a signature on an inbox that enforces verification.</summary>
    public static readonly KefuError IdentityVerificationRequired = new KefuError("identity_verification_required", "This inbox accepts only signed identities: send the id's hash.") with { Field = "hash" };

    /// <summary>A malformed identify call; <see cref="KefuError.Field"/> names the field.</summary>
    /// <param name="field">id, name, email or hash.</param>
    /// <param name="message">What is wrong.</param>
    public static KefuError InvalidIdentity(string field, string message) => new KefuError("invalid_identity", message) with { Field = field };

    /// <summary>A contact merged into itself.</summary>
    public static readonly KefuError MergeIntoItself = new KefuError("merge_into_itself", "A contact cannot be merged into itself.") with { Field = "intoId" };

    /// <summary>One of the two contacts was already merged into another.</summary>
    public static readonly KefuError AlreadyMerged = new("contact_already_merged", "This contact was already merged into another one.");

    /// <summary>Both contacts are different verified signed-in customers: one person cannot be two accounts.</summary>
    public static readonly KefuError MergeIdentityConflict = new("merge_identity_conflict", "Both contacts hold a different verified customer id; they are different people.");

    /// <summary>The inbox has no identity secret, so verification cannot be enforced.</summary>
    public static readonly KefuError IdentitySecretMissing = new KefuError("identity_secret_missing", "Create the identity secret before enforcing verification.") with { Field = "enforce" };

    /// <summary>No such note on this contact of the caller's workspace.</summary>
    public static readonly KefuError NoteNotFound = new("contact_note_not_found", "No such note.");

    /// <summary>A colleague's note: only its author edits or deletes it.</summary>
    public static readonly KefuError NoteNotYours = new("forbidden", "Only the note's author may change or delete it.");

    /// <summary>No such inbox in the caller's workspace.</summary>
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "No such inbox.");
}

/// <summary>A contact as lists and the edit form show it. E-mail and phone are as stored: masked when masking took them.</summary>
/// <param name="Id">Contact id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">E-mail, when known.</param>
/// <param name="Phone">Phone, when known.</param>
/// <param name="Tags">Tags (<c>vip</c> …).</param>
/// <param name="CreatedAt">First seen, UTC.</param>
/// <param name="LastSeenAt">Last seen, UTC.</param>
/// <param name="Company">Company, when known.</param>
/// <param name="Language">Preferred language (BCP 47), when known.</param>
/// <param name="Location">Location, when known.</param>
public sealed record ContactSummary(
    Guid Id, string Name, string? Email, string? Phone, IReadOnlyList<string> Tags, DateTime CreatedAt, DateTime LastSeenAt,
    string? Company = null, string? Language = null, string? Location = null);
