using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>PUT</c> and <c>DELETE /api/v1/tickets/{id}/followers/{agentId}</c> (Tickets permission): follow or unfollow a
/// ticket. Oneself always (within scope); someone else only as an admin (Settings permission), and only an agent who
/// can see the ticket. Both are idempotent; the ticket comes back. Another workspace's or an out-of-scope ticket: 404.
/// </summary>
internal sealed class FollowTicket(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, TicketFollowers followers, TicketWriter writer, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPut("/tickets/{id:guid}/followers/{agentId:guid}", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (
                Guid id, Guid agentId, HttpContext http, FollowTicket handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, agentId, follow: true, ct) is var (dto, error) && error is null
                    ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("FollowTicket")
            .WithTags("Tickets");
        api.MapDelete("/tickets/{id:guid}/followers/{agentId:guid}", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (
                Guid id, Guid agentId, HttpContext http, FollowTicket handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, agentId, follow: false, ct) is var (dto, error) && error is null
                    ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("UnfollowTicket")
            .WithTags("Tickets");
    }

    public async Task<(TicketDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid id, Guid agentId, bool follow, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        // Following is a change of one set that does not depend on the rest of the ticket: a save that lost to another
        // change (the durable lane linking a new ticket's chat, a colleague's edit) reads the ticket again and retries.
        for (var attempt = 1; ; attempt++)
        {
            var (dto, error, conflict) = await TryAsync(caller, id, agentId, follow, ct);
            if (!conflict || attempt == 3)
            {
                return conflict ? (null, new KefuError("ticket_changed", "Someone changed this ticket meanwhile; reload and try again.")) : (dto, error);
            }
        }
    }

    private async Task<(TicketDto?, KefuError?, bool Conflict)> TryAsync(AgentIdentity caller, Guid id, Guid agentId, bool follow, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await gate.FindVisibleAsync(db, caller, id, ct);
        if (ticket is null)
        {
            return (null, TicketErrors.NotFound, false);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var current = TicketRules.Ids(ticket.Followers);
        if (current.Contains(agentId) == follow)
        {
            return (TicketRules.ToDto(ticket, now), null, false); // already so
        }

        List<Guid> next = follow ? [.. current, agentId] : [.. current.Where(a => a != agentId)];
        if (next.Count > TicketRules.MaxFollowers)
        {
            return (null, TicketErrors.Invalid("followers", $"A ticket has at most {TicketRules.MaxFollowers} followers."), false);
        }

        if (await followers.CheckReplaceAsync(caller, [ticket], next, ct) is { } refused)
        {
            return (null, refused, false);
        }

        ticket.Followers = TicketRules.Join(next);
        ticket.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return (null, null, true);
        }

        writer.Changed(caller.TenantId, id);
        return (TicketRules.ToDto(ticket, now), null, false);
    }
}
