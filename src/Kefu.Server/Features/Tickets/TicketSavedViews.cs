using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>GET /api/v1/tickets/views</c> (Tickets permission): the caller's own saved views and the workspace's shared ones,
/// shared first, by name; <c>DELETE /api/v1/tickets/views/{id}</c>: removes one the caller may edit (their own; a shared
/// one with the Settings permission, else 403). Another agent's personal view and another workspace's view are not
/// found (404), here, in <see cref="SaveTicketView"/> and in <c>GET /tickets?savedViewId=</c>.
/// </summary>
internal sealed class TicketSavedViews(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tickets/views", async Task<Results<Ok<IReadOnlyList<TicketSavedViewDto>>, ProblemHttpResult>> (HttpContext http, TicketSavedViews handler, CancellationToken ct) =>
                await handler.ListAsync(AgentIdentity.From(http.User)!, ct) is var (list, error) && error is null ? TypedResults.Ok(list!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("ListTicketViews")
            .WithTags("Tickets");
        api.MapDelete("/tickets/views/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, TicketSavedViews handler, CancellationToken ct) =>
                await handler.DeleteAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("DeleteTicketView")
            .WithTags("Tickets");
    }

    public async Task<(IReadOnlyList<TicketSavedViewDto>?, KefuError?)> ListAsync(AgentIdentity caller, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        var admin = await access.AllowsAsync(caller, Permission.Settings, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Visible(db, caller).AsNoTracking().ToListAsync(ct);
        var keys = await FieldKeysAsync(db, caller.TenantId, ct);
        return ([.. rows.OrderBy(v => v.OwnerId is null ? 0 : 1).ThenBy(v => v.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(v => TicketViewRules.ToDto(v, keys, v.OwnerId is not null || admin))], null);
    }

    public async Task<KefuError?> DeleteAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await Visible(db, caller).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (row is null)
        {
            return TicketViewRules.NotFound;
        }

        if (row.OwnerId is null && !await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return TicketErrors.Forbidden with { Message = "Changing a shared view takes the Settings permission." };
        }

        db.Remove(row);
        if (row.OwnerId is null)
        {
            audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "ticket_view", id.ToString(), "ticketView=deleted").By(caller));
        }

        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The list query of a view the caller sees, or <c>ticket_view_not_found</c>.</summary>
    public async Task<(TicketQuery?, KefuError?)> QueryAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await Visible(db, caller).AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        return row is null ? (null, TicketViewRules.NotFound) : (TicketViewRules.ToQuery(row, caller), null);
    }

    /// <summary>The views of the caller's workspace they may see: shared ones and their own.</summary>
    internal static IQueryable<TicketSavedView> Visible(KefuDbContext db, AgentIdentity caller) =>
        db.Set<TicketSavedView>().Where(v => v.TenantId == caller.TenantId && (v.OwnerId == null || v.OwnerId == caller.UserId));

    internal static async Task<IReadOnlyDictionary<Guid, string>> FieldKeysAsync(KefuDbContext db, Guid tenantId, CancellationToken ct) =>
        await db.Set<TicketFieldDefinition>().AsNoTracking().Where(d => d.TenantId == tenantId).ToDictionaryAsync(d => d.Id, d => d.Key, ct);
}
