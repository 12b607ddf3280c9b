using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>POST /api/v1/tickets/{id}/merge</c> (Tickets permission): merge this ticket into <c>targetId</c>. The merged ticket
/// is closed and points at the survivor; its thread lines stay its own and show in the survivor's thread; the survivor
/// gains its tags, followers and related links and a note saying so. Into itself, into a merged or closed ticket, or
/// into another workspace's or an out-of-scope ticket (not found) is refused with nothing changed. Audited.
/// </summary>
internal sealed class MergeTicket(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, TicketWriter writer, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/tickets/{id:guid}/merge", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (
                Guid id, TicketMergeInput input, HttpContext http, MergeTicket handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("MergeTicket")
            .WithTags("Tickets");

    /// <summary>Merges; the survivor as it is after the merge.</summary>
    public async Task<(TicketDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid id, TicketMergeInput? input, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        if (input is null || input.TargetId == Guid.Empty)
        {
            return (null, TicketErrors.Invalid("targetId", "Choose the ticket to merge into."));
        }

        if (input.TargetId == id)
        {
            return (null, TicketErrors.MergeIntoItself);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await gate.FindVisibleAsync(db, caller, id, ct);
        var target = await gate.FindVisibleAsync(db, caller, input.TargetId, ct);
        if (source is null)
        {
            return (null, TicketErrors.NotFound);
        }

        if (target is null)
        {
            return (null, TicketErrors.NotFound with { Field = "targetId" });
        }

        if (source.MergedIntoId is not null || target.MergedIntoId is not null)
        {
            return (null, TicketErrors.Merged);
        }

        if (target.Status == TicketStatus.Closed || source.Status == TicketStatus.Closed)
        {
            return (null, AddTicketEntry.Closed);
        }

        var now = time.GetUtcNow().UtcDateTime;
        source.MergedIntoId = target.Id;
        if (source.Status != TicketStatus.Closed)
        {
            // Merged is the end of its life: closed directly, whatever the table says for people.
            TicketChanges.Move(db, source, TicketStatus.Closed, Actor.Agent(caller.UserId), now);
        }

        TicketSla.Refresh(source);
        target.Tags = TicketRules.Tags([.. TicketRules.Split(target.Tags), .. TicketRules.Split(source.Tags)]).Tags ?? target.Tags;
        target.Followers = TicketRules.Join([.. TicketRules.Ids(target.Followers), .. TicketRules.Ids(source.Followers)]);
        target.Related = TicketRules.Join(TicketRules.Ids(target.Related).Concat(TicketRules.Ids(source.Related)).Where(r => r != target.Id && r != source.Id).Take(TicketRules.MaxRelated));
        db.Add(new TicketEntry
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, TicketId = target.Id, Kind = TicketEntryKind.Note, AuthorId = caller.UserId,
            AuthorName = caller.DisplayName, Text = $"#{source.Number} → #{target.Number}", CreatedAt = now,
        });
        foreach (var t in new[] { source, target })
        {
            t.UpdatedAt = now;
            t.Version++;
        }

        ConversationJournal.Append(db, new TicketMerged(source.Id, target.Id)
        {
            TenantId = caller.TenantId, ConversationId = source.ConversationId ?? Guid.Empty, Actor = Actor.Agent(caller.UserId), OccurredAt = now,
        });
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "ticket", source.Id.ToString(), $"ticket.merged; into={target.Id}").By(caller));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return (null, new KefuError("ticket_changed", "Someone changed one of these tickets meanwhile; reload and try again."));
        }

        writer.Changed(caller.TenantId, source.Id);
        writer.Changed(caller.TenantId, target.Id);
        return (TicketRules.ToDto(target, now), null);
    }
}
