using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>GET /api/v1/tickets/{id}/attachments/{attachmentId}</c> (Tickets permission): a file of the ticket's thread (or of a
/// ticket merged into it that the caller also sees), served with the uploads' safe headers. Another workspace's ticket,
/// one outside the caller's scope (ADR 0027), or a file that is not on that thread is not found, as for a ticket.
/// </summary>
internal sealed class DownloadTicketAttachment(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, IReceivedFiles files)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/tickets/{id:guid}/attachments/{attachmentId:guid}", (Guid id, Guid attachmentId, HttpContext http, DownloadTicketAttachment handler, CancellationToken ct) =>
                handler.HandleAsync(AgentIdentity.From(http.User)!, id, attachmentId, http, ct))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status404NotFound)
            .WithName("DownloadTicketAttachment")
            .WithTags("Tickets");

    public async Task<IResult> HandleAsync(AgentIdentity caller, Guid id, Guid attachmentId, HttpContext http, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is not null)
        {
            return TypedResults.NotFound();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await gate.FindVisibleAsync(db, caller, id, ct) is null)
        {
            return TypedResults.NotFound();
        }

        var visible = await gate.VisibleAsync(db.Set<Ticket>().AsNoTracking(), caller, ct);
        var threads = await visible.Where(t => t.MergedIntoId == id).Select(t => t.Id).ToListAsync(ct);
        threads.Add(id);
        var needle = attachmentId.ToString();
        var onThread = await db.Set<TicketEntry>().AnyAsync(e => e.TenantId == caller.TenantId && EF.Parameter(threads).Contains(e.TicketId) && e.Attachments.Contains(needle), ct);
        return onThread ? await files.DownloadAsync(caller.TenantId, attachmentId, http, ct) : TypedResults.NotFound();
    }
}
