using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>POST /api/v1/tickets/fields/{id}/archive</c> and <c>…/unarchive</c> (Settings permission): an archived field is
/// left out of new tickets and forms and refuses writes (422 <c>ticket_field_archived</c>), while the values tickets
/// hold stay readable on them and in filters and saved views. Both are idempotent; another workspace's field is not
/// found; audited.
/// </summary>
internal sealed class ArchiveTicketField(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        foreach (var (verb, archived) in new[] { ("archive", true), ("unarchive", false) })
        {
            api.MapPost($"/tickets/fields/{{id:guid}}/{verb}", async Task<Results<Ok<TicketFieldDto>, ProblemHttpResult>> (Guid id, HttpContext http, ArchiveTicketField handler, CancellationToken ct) =>
                    await handler.HandleAsync(AgentIdentity.From(http.User)!, id, archived, ct) is var (dto, error) && error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
                .RequireAuthorization(AccessPolicies.For(Permission.Settings))
                .WithName(archived ? "ArchiveTicketField" : "UnarchiveTicketField")
                .WithTags("Tickets");
        }
    }

    public async Task<(TicketFieldDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid id, bool archived, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, TicketErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<TicketFieldDefinition>().FirstOrDefaultAsync(d => d.Id == id && d.TenantId == caller.TenantId, ct);
        if (row is null)
        {
            return (null, TicketErrors.FieldNotFound);
        }

        if (row.Archived != archived)
        {
            row.Archived = archived;
            audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "ticket_field", id.ToString(), archived ? "ticketField=archived" : "ticketField=unarchived").By(caller));
            await db.SaveChangesAsync(ct);
        }

        return (row.ToDto(), null);
    }
}
