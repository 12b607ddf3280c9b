using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary><c>DELETE /api/v1/contacts/{id}/notes/{noteId}</c>: the note's author removes it (rules of <see cref="UpdateContactNote"/>); audited.</summary>
internal sealed class DeleteContactNote(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/contacts/{id:guid}/notes/{noteId:guid}", async Task<Results<NoContent, ProblemHttpResult>> (
                Guid id, Guid noteId, HttpContext http, DeleteContactNote handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, noteId, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("DeleteContactNote")
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid contactId, Guid noteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (note, error) = await UpdateContactNote.FindOwnAsync(db, access, caller, contactId, noteId, cancellationToken);
        if (note is null)
        {
            return error;
        }

        db.Remove(note);
        audit.Add(db, new AuditRecord(AuditActions.ContactUpdated, "contact", contactId.ToString(), "changed=notes").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
