using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>Which contact survives a merge.</summary>
/// <param name="IntoId">The contact that keeps everything; the one in the path is merged into it.</param>
public sealed record MergeContactsRequest(Guid IntoId);

/// <summary>
/// <c>POST /api/v1/contacts/{id}/merge</c>: the contact in the path is merged into <c>intoId</c>. Its conversations,
/// tickets, channel identities, notes and attribute values move (the survivor's values win), tags join, empty details are filled; it remains only as a pointer to the survivor, and the
/// audit log keeps both ids. Into itself, across workspaces (404), into or from a merged contact, or between two
/// different verified customers: refused, nothing changed.
/// </summary>
internal sealed class MergeContacts(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, IEnumerable<IContactMergeParticipant> participants)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/contacts/{id:guid}/merge", async Task<Results<Ok<ContactSummary>, ProblemHttpResult>> (
                Guid id, MergeContactsRequest request, HttpContext http, MergeContacts handler, CancellationToken ct) =>
            {
                var (contact, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(contact!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("MergeContacts")
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    public async Task<(ContactSummary? Contact, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, MergeContactsRequest request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Contacts, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        if (id == request.IntoId)
        {
            return (null, ContactErrors.MergeIntoItself);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Both looked up in the caller's workspace only: another workspace's contact is "not found", never "not yours".
        var pair = await db.Contacts.Where(c => (c.Id == id || c.Id == request.IntoId) && c.TenantId == caller.TenantId).ToListAsync(cancellationToken);
        if (pair.Find(c => c.Id == id) is not { } from || pair.Find(c => c.Id == request.IntoId) is not { } into)
        {
            return (null, ContactErrors.ContactNotFound);
        }

        if (from.MergedIntoId is not null || into.MergedIntoId is not null)
        {
            return (null, ContactErrors.AlreadyMerged);
        }

        if (await ContactMerge.ConflictsAsync(db, from.Id, into.Id, cancellationToken))
        {
            return (null, ContactErrors.MergeIdentityConflict);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await ContactMerge.MoveAsync(db, from, into, participants, cancellationToken);
        var counts = string.Join(' ', moved.Select(m => $"{m.Kind}={m.Count}"));
        audit.Add(db, new AuditRecord(AuditActions.ContactMerged, "contact", from.Id.ToString(), $"into={into.Id} {counts}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ListContacts.ToSummary(into), null);
    }
}
