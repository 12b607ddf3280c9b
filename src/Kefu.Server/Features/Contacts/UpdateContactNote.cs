using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// <c>PUT /api/v1/contacts/{id}/notes/{noteId}</c>: the note's author rewrites it. Another workspace's note is not found;
/// a colleague's is forbidden (403): a note says who wrote it, so nobody else may put words in it.
/// </summary>
internal sealed class UpdateContactNote(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/contacts/{id:guid}/notes/{noteId:guid}", async Task<Results<Ok<ContactNoteDto>, ProblemHttpResult>> (
                Guid id, Guid noteId, ContactNoteRequest request, HttpContext http, UpdateContactNote handler, CancellationToken ct) =>
            {
                var (note, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, noteId, request, ct);
                return error is null ? TypedResults.Ok(note!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("UpdateContactNote")
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    public async Task<(ContactNoteDto? Note, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid contactId, Guid noteId, ContactNoteRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (note, error) = await FindOwnAsync(db, access, caller, contactId, noteId, cancellationToken);
        if (note is null)
        {
            return (null, error);
        }

        if (AddContactNote.Validate(request.Text) is { } invalid)
        {
            return (null, invalid);
        }

        note.Text = SafeText.MultiLine(request.Text);
        note.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(db, new AuditRecord(AuditActions.ContactUpdated, "contact", contactId.ToString(), "changed=notes").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (AddContactNote.ToDto(note), null);
    }

    /// <summary>The caller's own note on the contact (tracked); not found across workspaces and contacts, forbidden when a colleague wrote it.</summary>
    internal static async Task<(ContactNote? Note, KefuError? Error)> FindOwnAsync(
        KefuDbContext db, IAccessControl access, AgentIdentity caller, Guid contactId, Guid noteId, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        var note = await db.Set<ContactNote>().FirstOrDefaultAsync(n => n.Id == noteId && n.ContactId == contactId && n.TenantId == caller.TenantId, cancellationToken);
        return note is null ? (null, ContactErrors.NoteNotFound)
            : note.AuthorId != caller.UserId ? (null, ContactErrors.NoteNotYours)
            : (note, null);
    }
}
