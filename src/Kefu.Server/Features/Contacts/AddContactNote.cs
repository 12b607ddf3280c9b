using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>A note's text.</summary>
/// <param name="Text">1–2,000 characters, plain text.</param>
public sealed record ContactNoteRequest(string? Text);

/// <summary><c>POST /api/v1/contacts/{id}/notes</c> (contacts permission): the caller writes a note on a contact of their workspace; audited without the text.</summary>
internal sealed class AddContactNote(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/contacts/{id:guid}/notes", async Task<Results<Ok<ContactNoteDto>, ProblemHttpResult>> (
                Guid id, ContactNoteRequest request, HttpContext http, AddContactNote handler, CancellationToken ct) =>
            {
                var (note, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(note!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("AddContactNote").CreatesResource()
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

    public async Task<(ContactNoteDto? Note, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid contactId, ContactNoteRequest request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        if (Validate(request.Text) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.TenantId == caller.TenantId, cancellationToken))
        {
            return (null, ContactErrors.ContactNotFound);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var note = new ContactNote
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, ContactId = contactId, AuthorId = caller.UserId,
            AuthorName = SafeText.SingleLine(caller.DisplayName) is { Length: > 0 and <= 100 } name ? name : "—", Text = SafeText.MultiLine(request.Text), CreatedAt = now,
        };
        db.Add(note);
        audit.Add(db, new AuditRecord(AuditActions.ContactUpdated, "contact", contactId.ToString(), "changed=notes").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (ToDto(note), null);
    }

    internal static KefuError? Validate(string? text) =>
        SafeText.MultiLine(text).Length is 0 or > ContactNoteRules.MaxLength
            ? ContactErrors.Invalid("text", $"A note is 1 to {ContactNoteRules.MaxLength} characters.")
            : null;

    internal static ContactNoteDto ToDto(ContactNote n) => new(n.Id, n.AuthorId, n.AuthorName, n.Text, n.CreatedAt, n.UpdatedAt);
}
