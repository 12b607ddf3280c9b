using System.Net.Mail;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>A contact's editable fields; every field replaces the stored one (null or empty clears e-mail and phone).</summary>
/// <param name="Name">Display name, 1–100 characters.</param>
/// <param name="Email">An e-mail address, or empty.</param>
/// <param name="Phone">A phone number (digits, spaces, <c>-</c>, <c>()</c>, an optional leading <c>+</c>; 5–20 digits), or empty.</param>
/// <param name="Tags">Tags (see <see cref="ContactTags"/>); a tag among an inbox's VIP tags puts the contact first in its queue.</param>
/// <param name="Company">Company, 1–100 characters; null keeps the stored one, empty clears it.</param>
/// <param name="Language">A BCP 47 language tag (<c>zh-CN</c>); null keeps, empty clears.</param>
/// <param name="Location">Free-text location, 1–100 characters; null keeps, empty clears.</param>
/// <param name="Attributes">Custom attribute values by key (null clears one); keys not sent keep their values. A wrong type is 422 and nothing is stored.</param>
public sealed record UpdateContactRequest(
    string? Name, string? Email, string? Phone, IReadOnlyList<string>? Tags, string? Company = null, string? Language = null, string? Location = null,
    IReadOnlyDictionary<string, JsonElement>? Attributes = null);

/// <summary>
/// <c>PUT /api/v1/contacts/{id}</c>: someone with the contacts permission edits a contact. E-mail and phone go through
/// personal-data masking like message text: the stored form is masked by the workspace's settings, the typed value kept
/// encrypted beside it. Sending back the stored (masked) form keeps the value. Audited with the names of the changed
/// fields, never their values.
/// </summary>
internal sealed partial class UpdateContact(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, IPersonalDataMasking masking, ContactAttributeWriter attributes)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/contacts/{id:guid}", async Task<Results<Ok<ContactSummary>, ProblemHttpResult>> (
                Guid id, UpdateContactRequest request, HttpContext http, UpdateContact handler, CancellationToken ct) =>
            {
                var (contact, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(contact!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("UpdateContact")
            .WithTags("Contacts");

    public async Task<(ContactSummary? Contact, KefuError? Error)> HandleAsync(
        AgentIdentity caller, Guid contactId, UpdateContactRequest request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId && c.TenantId == caller.TenantId, cancellationToken);
        if (contact is null)
        {
            return (null, ContactErrors.ContactNotFound);
        }

        if (Validate(request, contact, out var tags) is { } invalid)
        {
            return (null, invalid);
        }

        var (attributeError, attributesChanged) = await attributes.ApplyAsync(db, caller.TenantId, contactId, request.Attributes, cancellationToken);
        if (attributeError is not null)
        {
            return (null, attributeError);
        }

        contact.Name = SafeText.SingleLine(request.Name);
        contact.Tags = ContactTags.Join(tags);
        contact.Company = request.Company is null ? contact.Company : Empty(SafeText.SingleLine(request.Company));
        contact.Language = request.Language is null ? contact.Language : Empty(request.Language);
        contact.Location = request.Location is null ? contact.Location : Empty(SafeText.SingleLine(request.Location));
        if (Empty(request.Email) != contact.Email)
        {
            (contact.Email, contact.EmailOriginal) = await MaskAsync(caller.TenantId, Empty(request.Email), cancellationToken);
        }

        if (Empty(request.Phone) != contact.Phone)
        {
            (contact.Phone, contact.PhoneOriginal) = await MaskAsync(caller.TenantId, Empty(request.Phone), cancellationToken);
        }

        db.ChangeTracker.DetectChanges();
        var changed = db.Entry(contact).Properties.Where(p => p.IsModified && !p.Metadata.Name.EndsWith("Original", StringComparison.Ordinal))
            .Select(p => char.ToLowerInvariant(p.Metadata.Name[0]) + p.Metadata.Name[1..]).ToList();
        if (attributesChanged)
        {
            changed.Add("attributes");
        }

        if (changed.Count > 0)
        {
            audit.Add(db, new AuditRecord(AuditActions.ContactUpdated, "contact", contactId.ToString(), "changed=" + string.Join(',', changed)).By(caller));
            await db.SaveChangesAsync(cancellationToken);
        }

        return (ListContacts.ToSummary(contact), null);
    }

    /// <summary>The stored form and, when masking took something, the typed value encrypted.</summary>
    internal async Task<(string?, string?)> MaskAsync(Guid tenantId, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return (null, null);
        }

        var masked = await masking.MaskAsync(tenantId, value, cancellationToken);
        return masked.Originals is { Count: > 0 } originals ? (masked.Text, originals[0].Cipher) : (value, null);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The stored (possibly masked) e-mail and phone pass unchecked: sending them back means "keep".</summary>
    internal static KefuError? Validate(UpdateContactRequest r, Contact stored, out IReadOnlyList<string> tags)
    {
        tags = [];
        var name = SafeText.SingleLine(r.Name);
        if (name.Length is 0 or > 100)
        {
            return ContactErrors.Invalid("name", "name must be 1 to 100 characters.");
        }

        if (Empty(r.Email) is { } email && email != stored.Email && (email.Length > 256 || !MailAddress.TryCreate(email, out var address) || address.Address != email ||
                                            address.DisplayName.Length > 0 || !address.Host.Contains('.', StringComparison.Ordinal)))
        {
            return ContactErrors.Invalid("email", "email is not an e-mail address.");
        }

        if (Empty(r.Phone) is { } phone && phone != stored.Phone && !IsPhone(phone))
        {
            return ContactErrors.Invalid("phone", "phone may hold digits, spaces, '-', '(' and ')' after an optional '+', with 5 to 20 digits.");
        }

        if (ProfileError(r.Company, r.Language, r.Location) is { } profile)
        {
            return profile;
        }

        if (ContactTags.TryNormalize(r.Tags, out var tagError) is not { } normalized)
        {
            return ContactErrors.Invalid("tags", tagError!);
        }

        tags = normalized;
        return null;
    }

    /// <summary>Company, language and location as an edit or an identify call gives them (null or empty pass: keep or clear).</summary>
    internal static KefuError? ProfileError(string? company, string? language, string? location)
    {
        if (company is { Length: > 0 } && (SafeText.SingleLine(company).Length > 100 || company.Length > 400))
        {
            return ContactErrors.Invalid("company", "company must be at most 100 characters.");
        }

        if (Empty(language) is { } tag && (tag.Length > 16 || !LanguageTag().IsMatch(tag)))
        {
            return ContactErrors.Invalid("language", "language must be a language tag such as en or zh-CN.");
        }

        return location is { Length: > 0 } && (SafeText.SingleLine(location).Length > 100 || location.Length > 400)
            ? ContactErrors.Invalid("location", "location must be at most 100 characters.")
            : null;
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,2}$")]
    private static partial Regex LanguageTag();

    private static bool IsPhone(string phone)
    {
        var body = phone.StartsWith('+') ? phone[1..] : phone;
        var digits = body.Count(char.IsAsciiDigit);
        return phone.Length <= 32 && digits is >= 5 and <= 20 && char.IsAsciiDigit(body.FirstOrDefault(c => c != '(')) &&
               body.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')');
    }
}
