using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>A row the import refused.</summary>
/// <param name="Row">Its line in the file's data (1 = the first row after the header).</param>
/// <param name="Field">The column at fault (<c>name</c>, <c>email</c>, <c>phone</c>, <c>tags</c>), or null for the whole row.</param>
/// <param name="Message">What is wrong, in English.</param>
/// <param name="Code">What is wrong, stable for clients' own texts: <c>invalid</c> (the field's value), <c>duplicate_in_file</c> or <c>email_taken</c>.</param>
public sealed record RejectedContactRow(int Row, string? Field, string Message, string Code = "invalid");

/// <summary>What an import did.</summary>
/// <param name="Imported">Contacts created: all rows, or none when any row was rejected.</param>
/// <param name="Rejected">Every rejected row (at most 100 listed), empty on success.</param>
public sealed record ContactImportReport(int Imported, IReadOnlyList<RejectedContactRow> Rejected);

/// <summary>
/// <c>POST /api/v1/contacts/import</c> (<c>text/csv</c>, 1 MB, 5,000 rows): creates one contact per row from the columns
/// <c>name</c> (required), <c>email</c>, <c>phone</c>, <c>tags</c> (space separated), validated as an edit is and masked as
/// an edit is. All or nothing: when any row is refused, nothing is stored and the answer (422) lists every refused row,
/// so a corrected file can be sent again without creating the good rows twice. An e-mail already on a contact of the
/// workspace, or twice in the file, refuses the row. Audited with the count.
/// </summary>
internal sealed class ImportContacts(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, UpdateContact editor, TimeProvider time)
{
    public const int MaxBytes = 1024 * 1024;
    private static readonly string[] Known = ["name", "email", "phone", "tags"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/contacts/import", async Task<Results<Ok<ContactImportReport>, UnprocessableEntity<ContactImportReport>, ProblemHttpResult>> (
                HttpContext http, ImportContacts handler, CancellationToken ct) =>
            {
                using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
                var (report, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, await reader.ReadToEndAsync(ct), ct);
                return error is not null ? KefuProblems.Problem(error)
                    : report!.Rejected.Count > 0 ? TypedResults.UnprocessableEntity(report) : TypedResults.Ok(report);
            })
            // The body is read as CSV whatever its declared type: a content-type match in routing would answer 415 before
            // the permission check, telling a caller without the permission that the route exists.
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("ImportContacts").CreatesResource()
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status400BadRequest);

    public async Task<(ContactImportReport? Report, KefuError? Error)> HandleAsync(AgentIdentity caller, string csv, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        if (ContactCsv.Read(csv, out var csvError) is not { Count: > 0 } rows)
        {
            return (null, new KefuError("invalid_contact_csv", csvError ?? "The file is empty.") with { Field = "file" });
        }

        var header = rows[0].ConvertAll(h => h.Trim().ToLowerInvariant());
        if (!header.Contains("name") || header.Any(h => !Known.Contains(h)) || header.Distinct().Count() != header.Count)
        {
            return (null, new KefuError("invalid_contact_csv", "The header must name the columns name (required), email, phone, tags, each once.") with { Field = "file" });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rejected = new List<RejectedContactRow>();
        var valid = new List<(int Row, UpdateContactRequest Request, IReadOnlyList<string> Tags)>();
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < rows.Count; i++)
        {
            string? Cell(string column) => header.IndexOf(column) is var at and >= 0 && at < rows[i].Count && rows[i][at].Trim() is { Length: > 0 } v ? v : null;
            var request = new UpdateContactRequest(Cell("name"), Cell("email"), Cell("phone"), Cell("tags")?.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (UpdateContact.Validate(request, new Contact { Name = "" }, out var tags) is { } invalid)
            {
                rejected.Add(new RejectedContactRow(i, invalid.Field, invalid.Message));
            }
            else if (request.Email is { } email && !emails.Add(email))
            {
                rejected.Add(new RejectedContactRow(i, "email", "This e-mail is on an earlier row of the file.", "duplicate_in_file"));
            }
            else
            {
                valid.Add((i, request, tags));
            }
        }

        var taken = emails.Count == 0 ? [] : await db.Contacts.Where(c => c.TenantId == caller.TenantId && c.Email != null && emails.Contains(c.Email))
            .Select(c => c.Email!).ToListAsync(cancellationToken);
        rejected.AddRange(valid.Where(v => v.Request.Email is { } e && taken.Contains(e, StringComparer.OrdinalIgnoreCase))
            .Select(v => new RejectedContactRow(v.Row, "email", "A contact with this e-mail exists.", "email_taken")));
        if (rejected.Count > 0)
        {
            return (new ContactImportReport(0, [.. rejected.OrderBy(r => r.Row).Take(100)]), null);
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (_, request, tags) in valid)
        {
            var contact = new Contact { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = SafeText.SingleLine(request.Name), Tags = ContactTags.Join(tags), CreatedAt = now, LastSeenAt = now };
            (contact.Email, contact.EmailOriginal) = await editor.MaskAsync(caller.TenantId, request.Email, cancellationToken);
            (contact.Phone, contact.PhoneOriginal) = await editor.MaskAsync(caller.TenantId, request.Phone, cancellationToken);
            db.Contacts.Add(contact);
        }

        audit.Add(db, new AuditRecord(AuditActions.ContactsImported, "contacts", null, "imported=" + valid.Count).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (new ContactImportReport(valid.Count, []), null);
    }
}
