using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Retention;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.Privacy.Requests;

/// <summary>What an erasure removed: counts by kind (<c>conversations</c>, <c>messages</c>, <c>attachments</c>, <c>identities</c>, <c>contacts</c>).</summary>
/// <param name="ContactId">The contact erased.</param>
/// <param name="Counts">Counts by kind.</param>
public sealed record ContactErasedDto(Guid ContactId, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// <c>POST /api/v1/contacts/{id}/erase</c>: a data subject's request to be forgotten. Deletes the contact's
/// conversations with everything in them (as retention's delete mode does, in the same small batches), their
/// identities and uploads, then the contact, and records <c>contact.erased</c> with the counts in the last
/// transaction. The audit trail stays: it holds ids and counts, never personal data. Not idempotent by design: the
/// contact is gone, so a second request is <c>contact_not_found</c> (404), like a contact of another workspace.
/// </summary>
internal sealed class EraseContact(IDbContextFactory<KefuDbContext> dbFactory, ConversationEraser eraser, IEnumerable<IPersonalDataHolder> holders,
    IAuditLog audit, IOptions<PrivacyOptions> options)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/contacts/{id:guid}/erase", async Task<Results<Ok<ContactErasedDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, EraseContact handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("EraseContact")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.Privacy));

    /// <remarks>The actor is named explicitly: the console calls this from a circuit, where no HTTP request is current.</remarks>
    public async Task<(ContactErasedDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid contactId, CancellationToken cancellationToken)
    {
        var tenantId = agent.TenantId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.TenantId == tenantId, cancellationToken))
            {
                return (null, PrivacyErrors.ContactNotFound);
            }
        }

        // Batch by batch, each committed: a request interrupted midway is finished by asking again.
        var tally = new ErasureTally();
        var size = options.Value.BatchSize;
        ErasureTally batch;
        do
        {
            batch = await eraser.EraseBatchAsync(tenantId, db => db.Conversations.Where(c => c.ContactId == contactId), size, ErasureMode.Delete,
                ErasureReasons.Request, cancellationToken);
            tally.Add(batch);
        }
        while (batch["conversations"] == size);

        await FinishAsync(agent, contactId, tally, cancellationToken);
        return (new ContactErasedDto(contactId, tally.Counts), null);
    }

    /// <summary>The contact itself (if the last batch did not already take it) and the audit entry, in one transaction.</summary>
    private async Task FinishAsync(AgentIdentity agent, Guid contactId, ErasureTally tally, CancellationToken cancellationToken)
    {
        var tenantId = agent.TenantId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var contact = db.Contacts.Where(c => c.Id == contactId && c.TenantId == tenantId);
        if (await contact.AnyAsync(cancellationToken))
        {
            foreach (var holder in holders)
            {
                await holder.EraseContactsAsync(db, [contactId], tally, cancellationToken);
            }

            tally.Add("contacts", await contact.ExecuteDeleteAsync(cancellationToken));
        }

        audit.Add(db, new AuditRecord(AuditActions.ContactErased, "contact", contactId.ToString(), tally.ToJson())
        {
            TenantId = tenantId, ActorId = agent.UserId, ActorName = agent.DisplayName,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
