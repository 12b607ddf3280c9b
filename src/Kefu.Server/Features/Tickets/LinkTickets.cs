using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>POST /api/v1/tickets/{id}/related</c> (Tickets permission): link two tickets of the workspace as related, both
/// ways. Linking to itself, to another workspace's or to an out-of-scope ticket is refused; linking twice changes nothing.
/// </summary>
internal sealed class LinkTickets(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, TicketWriter writer, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/tickets/{id:guid}/related", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (
                Guid id, TicketLinkInput input, HttpContext http, LinkTickets handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("LinkTickets")
            .WithTags("Tickets");

    public async Task<(TicketDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid id, TicketLinkInput? input, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        if (input is null || input.RelatedId == Guid.Empty || input.RelatedId == id)
        {
            return (null, TicketErrors.Invalid("relatedId", "Choose another ticket."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var a = await gate.FindVisibleAsync(db, caller, id, ct);
        var b = await gate.FindVisibleAsync(db, caller, input.RelatedId, ct);
        if (a is null || b is null)
        {
            return (null, a is null ? TicketErrors.NotFound : TicketErrors.NotFound with { Field = "relatedId" });
        }

        if (TicketRules.Ids(a.Related).Count >= TicketRules.MaxRelated || TicketRules.Ids(b.Related).Count >= TicketRules.MaxRelated)
        {
            return (null, TicketErrors.Invalid("relatedId", $"A ticket has at most {TicketRules.MaxRelated} related tickets."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        a.Related = TicketRules.Join([.. TicketRules.Ids(a.Related), b.Id]);
        b.Related = TicketRules.Join([.. TicketRules.Ids(b.Related), a.Id]);
        a.UpdatedAt = b.UpdatedAt = now;
        a.Version++;
        b.Version++;
        await db.SaveChangesAsync(ct);
        writer.Changed(caller.TenantId, a.Id);
        writer.Changed(caller.TenantId, b.Id);
        return (TicketRules.ToDto(a, now), null);
    }
}
