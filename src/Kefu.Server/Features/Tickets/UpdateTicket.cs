using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>PATCH /api/v1/tickets/{id}</c> and <c>POST /api/v1/tickets/bulk</c> (Tickets permission): change fields and status of
/// one ticket or of up to 100 at once. A bulk change is all or nothing: one ticket it cannot apply to (not found,
/// merged, a status move the table refuses) refuses the whole request, naming that ticket.
/// </summary>
internal sealed class UpdateTicket(
    IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, TicketChanges changes, TicketWriter writer, TicketFollowers followers, IInboxHours inboxHours, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPatch("/tickets/{id:guid}", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (Guid id, TicketChange change, HttpContext http, UpdateTicket handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, [id], change, ct) is var (dtos, error) && error is null
                    ? TypedResults.Ok(dtos![0]) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("UpdateTicket")
            .WithTags("Tickets");
        api.MapPost("/tickets/bulk", async Task<Results<Ok<IReadOnlyList<TicketDto>>, ProblemHttpResult>> (TicketBulkChange bulk, HttpContext http, UpdateTicket handler, CancellationToken ct) =>
                bulk.Ids is not { Count: > 0 and <= TicketRules.MaxBulk } ids
                    ? KefuProblems.Problem(TicketErrors.Invalid("ids", $"Choose 1 to {TicketRules.MaxBulk} tickets."))
                    : await handler.HandleAsync(AgentIdentity.From(http.User)!, ids, bulk.Change, ct) is var (dtos, error) && error is null
                        ? TypedResults.Ok(dtos!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("BulkUpdateTickets")
            .WithTags("Tickets");
    }

    public async Task<(IReadOnlyList<TicketDto>?, KefuError?)> HandleAsync(AgentIdentity caller, IReadOnlyList<Guid> ids, TicketChange? change, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        // The request carries no version: a save that lost is to a concurrent writer (the durable lane adding a
        // customer's line, a colleague the same instant), never to a stale form. The change is read, checked and applied
        // again on the newer rows; only a third loss in a row is reported.
        for (var attempt = 1; ; attempt++)
        {
            var (dtos, error, conflict) = await TryAsync(caller, ids, change, ct);
            if (!conflict || attempt == 3)
            {
                return conflict ? (null, new KefuError("ticket_changed", "Someone changed this ticket meanwhile; reload and try again.")) : (dtos, error);
            }
        }
    }

    private async Task<(IReadOnlyList<TicketDto>?, KefuError?, bool Conflict)> TryAsync(AgentIdentity caller, IReadOnlyList<Guid> ids, TicketChange? change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await changes.CheckAsync(db, caller.TenantId, change, ct) is { } invalid)
        {
            return (null, invalid, false);
        }

        var distinct = ids.Distinct().ToList();
        // Out of scope counts as not found: a bulk change naming one hidden ticket changes none.
        var tickets = await (await gate.VisibleAsync(db.Set<Ticket>(), caller, ct)).Where(t => EF.Parameter(distinct).Contains(t.Id)).ToListAsync(ct);
        if (tickets.Count != distinct.Count)
        {
            return (null, TicketErrors.NotFound, false);
        }

        // After the lookup: another workspace's ticket is 404 whatever the fields say.
        var (fields, fieldError) = await TicketFieldRules.CheckAsync(db, caller.TenantId, change!.Fields, creating: false, ct);
        if (fieldError is not null)
        {
            return (null, fieldError, false);
        }

        if (change.Followers is not null && await followers.CheckReplaceAsync(caller, tickets, change.Followers, ct) is { } notYours)
        {
            return (null, notYours, false);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var policies = await SlaPolicyResolver.LoadAsync(db, caller.TenantId, inboxHours, ct);
        var statuses = tickets.ToDictionary(t => t.Id, t => t.Status);
        foreach (var ticket in tickets)
        {
            if (TicketChanges.Apply(db, ticket, change, policies, Actor.Agent(caller.UserId), now) is { } refused)
            {
                return (null, distinct.Count == 1 ? refused : refused with { Message = $"Ticket #{ticket.Number}: {refused.Message}" }, false);
            }

            await TicketFieldRules.ApplyAsync(db, caller.TenantId, ticket.Id, fields!, isNew: false, ct);
            if (ticket.Status != statuses[ticket.Id])
            {
                await followers.AlertAsync(db, ticket, TicketAlertKind.StatusChanged, caller.UserId, now, ct);
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return (null, null, true);
        }

        foreach (var ticket in tickets)
        {
            writer.Changed(caller.TenantId, ticket.Id);
        }

        followers.Announce(caller.TenantId, tickets);

        return ([.. distinct.Select(id => TicketRules.ToDto(tickets.Single(t => t.Id == id), now))], null, false);
    }
}
