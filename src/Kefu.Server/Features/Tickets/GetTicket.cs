using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>A ticket with its thread: its own lines and those of the tickets merged into it, oldest first.</summary>
/// <param name="Ticket">The ticket.</param>
/// <param name="Thread">The thread (capped at <see cref="GetTicket.MaxThread"/> lines, the newest kept).</param>
/// <param name="AllowedStatuses">Where its status may go now (the transition table).</param>
/// <param name="Fields">Its custom field values (fields without a value are absent).</param>
public sealed record TicketDetail(TicketDto Ticket, IReadOnlyList<TicketEntryDto> Thread, IReadOnlyList<TicketStatus> AllowedStatuses, IReadOnlyList<TicketFieldValueDto> Fields);

/// <summary><c>GET /api/v1/tickets/{id}</c> (Tickets permission). Another workspace's ticket, or one outside the caller's scope, is not found.</summary>
internal sealed class GetTicket(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, IReceivedFiles files, TimeProvider time)
{
    public const int MaxThread = 1000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/tickets/{id:guid}", async Task<Results<Ok<TicketDetail>, ProblemHttpResult>> (Guid id, HttpContext http, GetTicket handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is var (detail, error) && error is null
                    ? TypedResults.Ok(detail!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("GetTicket")
            .WithTags("Tickets");

    public async Task<(TicketDetail?, KefuError?)> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await gate.FindVisibleAsync(db, caller, id, ct);
        if (ticket is null)
        {
            return (null, TicketErrors.NotFound);
        }

        // The merged tickets' lines stay theirs (TicketId) and show in the survivor's thread, but only those of merged
        // tickets the reader may see themselves: a merge by someone who sees both inboxes must not open the merged
        // ticket's thread to a reader limited to the survivor's (ADR 0027). The same for the related links.
        var visible = await gate.VisibleAsync(db.Set<Ticket>().AsNoTracking(), caller, ct);
        var merged = await visible.Where(t => t.MergedIntoId == id).Select(t => t.Id).ToListAsync(ct);
        merged.Add(id);
        var related = TicketRules.Ids(ticket.Related).ToList();
        List<Guid> relatedVisible = related.Count == 0 ? [] : await visible.Where(t => EF.Parameter(related).Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
        var thread = await db.Set<TicketEntry>().AsNoTracking().Where(e => e.TenantId == caller.TenantId && EF.Parameter(merged).Contains(e.TicketId))
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(MaxThread).ToListAsync(ct);
        thread.Reverse();
        var allowed = ticket.MergedIntoId is null ? TicketTransitions.From(ticket.Status) : [];
        var fields = await TicketFieldRules.ReadAsync(db, caller.TenantId, id, ct);
        var dto = TicketRules.ToDto(ticket, time.GetUtcNow().UtcDateTime);
        var attached = (await files.FindAsync(caller.TenantId, [.. thread.SelectMany(e => TicketRules.Ids(e.Attachments)).Distinct()], ct)).ToDictionary(f => f.Id);
        var lines = thread.Select(e => TicketRules.ToDto(e) with
        {
            Attachments = [.. TicketRules.Ids(e.Attachments).Where(attached.ContainsKey).Select(a => attached[a])
                .Select(f => new TicketAttachmentDto(f.Id, f.FileName, f.ContentType, f.Size, $"/api/v1/tickets/{id}/attachments/{f.Id}"))],
        });
        return (new TicketDetail(dto with { Related = [.. related.Where(relatedVisible.Contains)] }, [.. lines], allowed, fields), null);
    }
}
