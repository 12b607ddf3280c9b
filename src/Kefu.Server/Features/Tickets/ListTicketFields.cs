using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>GET /api/v1/tickets/fields</c> (Tickets permission): the workspace's custom ticket fields, oldest first, archived
/// ones included (flagged: forms leave them out, a ticket page shows their values read-only), and
/// <c>DELETE /api/v1/tickets/fields/{id}</c> (Settings permission): removes a field no ticket holds a value of and no
/// saved view filters on (else 409 <c>ticket_field_in_use</c>: archive it instead); audited. Another workspace's field
/// is not found.
/// </summary>
internal sealed class ListTicketFields(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tickets/fields", async Task<Results<Ok<IReadOnlyList<TicketFieldDto>>, ProblemHttpResult>> (HttpContext http, ListTicketFields handler, CancellationToken ct) =>
                await handler.ListAsync(AgentIdentity.From(http.User)!, ct) is { } list ? TypedResults.Ok(list) : KefuProblems.Problem(TicketErrors.Forbidden))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("ListTicketFields")
            .WithTags("Tickets");
        api.MapDelete("/tickets/fields/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, ListTicketFields handler, CancellationToken ct) =>
                await handler.DeleteAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("DeleteTicketField")
            .WithTags("Tickets");
    }

    /// <summary>The definitions; null when the caller may not work tickets.</summary>
    public async Task<IReadOnlyList<TicketFieldDto>?> ListAsync(AgentIdentity caller, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Tickets, ct))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<TicketFieldDefinition>().AsNoTracking().Where(d => d.TenantId == caller.TenantId).OrderBy(d => d.CreatedAt).ThenBy(d => d.Key).ToListAsync(ct);
        return [.. rows.Select(d => d.ToDto())];
    }

    public async Task<KefuError?> DeleteAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return TicketErrors.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<TicketFieldDefinition>().FirstOrDefaultAsync(d => d.Id == id && d.TenantId == caller.TenantId, ct);
        if (row is null)
        {
            return new KefuError("ticket_field_not_found", "No such ticket field.");
        }

        // Deleting would take tickets' values with it: a field in use is archived instead (values stay readable).
        if (await db.Set<TicketFieldValue>().AnyAsync(v => v.DefinitionId == id, ct) || await db.Set<TicketSavedView>().AnyAsync(v => v.FieldId == id, ct))
        {
            return new KefuError("ticket_field_in_use", "Tickets or saved views use this field; archive it instead.");
        }

        db.Remove(row);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "ticket_field", id.ToString(), "ticketField=deleted").By(caller));
        await db.SaveChangesAsync(ct);
        return null;
    }
}
