using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>POST /api/v1/tickets/views</c> and <c>PUT /api/v1/tickets/views/{id}</c> (Tickets permission): saves a ticket view,
/// personal or shared with the workspace (sharing, and changing a shared view, take the Settings permission: 403). A
/// rename is a PUT with the same filters. Checked by <see cref="TicketViewRules"/> before anything is stored: an unknown
/// field key or a value of the wrong type for the field is 422 (<c>unknown_ticket_field</c>, <c>invalid_ticket_field</c>
/// on <c>filters.field</c> / <c>filters.fieldValue</c>). Another agent's personal view, or another workspace's, is 404.
/// </summary>
internal sealed class SaveTicketView(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/tickets/views", async Task<Results<Created<TicketSavedViewDto>, ProblemHttpResult>> (TicketSavedViewInput input, HttpContext http, SaveTicketView handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, null, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Created($"/api/v1/tickets/views/{dto!.Id}", dto) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("CreateTicketView")
            .WithTags("Tickets");
        api.MapPut("/tickets/views/{id:guid}", async Task<Results<Ok<TicketSavedViewDto>, ProblemHttpResult>> (Guid id, TicketSavedViewInput input, HttpContext http, SaveTicketView handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("UpdateTicketView")
            .WithTags("Tickets");
    }

    /// <summary>Creates (<paramref name="id"/> null) or changes a view.</summary>
    public async Task<(TicketSavedViewDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid? id, TicketSavedViewInput? input, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        var admin = await access.AllowsAsync(caller, Permission.Settings, ct);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        TicketSavedView row;
        if (id is { } existing)
        {
            var found = await TicketSavedViews.Visible(db, caller).FirstOrDefaultAsync(v => v.Id == existing, ct);
            if (found is null)
            {
                return (null, TicketViewRules.NotFound);
            }

            row = found;

            if (row.OwnerId is null && !admin)
            {
                return (null, TicketErrors.Forbidden with { Message = "Changing a shared view takes the Settings permission." });
            }
        }
        else
        {
            row = new TicketSavedView { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = "", CreatedBy = caller.UserId, CreatedAt = now };
        }

        if (await TicketViewRules.ApplyAsync(db, gate, access, caller, input, row, ct) is { } invalid)
        {
            return (null, invalid); // the tracked row is never saved
        }

        if (id is null)
        {
            var owner = row.OwnerId;
            if (await db.Set<TicketSavedView>().CountAsync(v => v.TenantId == caller.TenantId && v.OwnerId == owner, ct) >= TicketViewRules.MaxViewsPerOwner)
            {
                return (null, TicketViewRules.Invalid("name", $"At most {TicketViewRules.MaxViewsPerOwner} views each (and shared)."));
            }

            db.Add(row);
        }

        row.UpdatedAt = now;
        if (row.OwnerId is null)
        {
            audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "ticket_view", row.Id.ToString(), id is null ? "ticketView=created" : "ticketView=updated").By(caller));
        }

        await db.SaveChangesAsync(ct);
        return (TicketViewRules.ToDto(row, await TicketSavedViews.FieldKeysAsync(db, caller.TenantId, ct), true), null);
    }
}
