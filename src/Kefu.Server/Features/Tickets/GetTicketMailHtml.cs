using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>GET /api/v1/tickets/{id}/entries/{entryId}/html</c> (Tickets permission): the sanitised HTML of the mail that
/// became a line of the ticket's thread (or of a ticket merged into it that the caller also sees), as the conversation
/// route gives a conversation's. Show it only in a sandboxed frame with remote images blocked until asked for. Another
/// workspace's ticket, one outside the caller's scope, or a line without HTML mail is not found.
/// </summary>
internal sealed class GetTicketMailHtml(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, ITicketMailOriginals originals)
{
    /// <summary>A line that did not come from an HTML mail (or is not on this ticket's thread).</summary>
    public static readonly KefuError NoHtml = new("ticket_mail_not_found", "This line did not come from an HTML mail.");

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/tickets/{id:guid}/entries/{entryId:guid}/html", async Task<Results<Ok<TicketMailHtmlDto>, ProblemHttpResult>> (
                Guid id, Guid entryId, HttpContext http, GetTicketMailHtml handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, entryId, ct) is var (html, error) && error is null
                    ? TypedResults.Ok(new TicketMailHtmlDto(html!)) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("GetTicketMailHtml")
            .WithTags("Tickets");

    /// <summary>The lines of the ticket's thread that have an HTML original; empty when the ticket is not visible.</summary>
    public async Task<IReadOnlySet<Guid>> EntriesAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ThreadsAsync(db, caller, id, ct) is not { } threads)
        {
            return new HashSet<Guid>();
        }

        var external = (await originals.ExternalIdsWithHtmlAsync(caller.TenantId, threads, ct)).ToList();
        if (external.Count == 0)
        {
            return new HashSet<Guid>();
        }

        var lines = await db.Set<TicketEntry>().AsNoTracking()
            .Where(e => e.TenantId == caller.TenantId && EF.Parameter(threads).Contains(e.TicketId) && e.ExternalId != null && EF.Parameter(external).Contains(e.ExternalId))
            .Select(e => e.Id).ToListAsync(ct);
        return lines.ToHashSet();
    }

    public async Task<(string? Html, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, Guid entryId, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ThreadsAsync(db, caller, id, ct) is not { } threads)
        {
            return (null, TicketErrors.NotFound);
        }

        var externalId = await db.Set<TicketEntry>().AsNoTracking()
            .Where(e => e.Id == entryId && e.TenantId == caller.TenantId && EF.Parameter(threads).Contains(e.TicketId))
            .Select(e => e.ExternalId).FirstOrDefaultAsync(ct);
        return externalId is not null && await originals.HtmlAsync(caller.TenantId, threads, externalId, ct) is { } html ? (html, null) : (null, NoHtml);
    }

    private async Task<List<Guid>?> ThreadsAsync(KefuDbContext db, AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (await gate.FindVisibleAsync(db, caller, id, ct) is null)
        {
            return null;
        }

        var visible = await gate.VisibleAsync(db.Set<Ticket>().AsNoTracking(), caller, ct);
        var threads = await visible.Where(t => t.MergedIntoId == id).Select(t => t.Id).ToListAsync(ct);
        threads.Add(id);
        return threads;
    }
}
