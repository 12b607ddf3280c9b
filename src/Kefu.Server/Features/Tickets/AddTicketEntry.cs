using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>POST /api/v1/tickets/{id}/entries</c> (Tickets permission): a public reply or an internal note, optionally moving
/// the status with it. A public reply to a ticket made from a conversation goes to that conversation through the
/// message path (the same writer, journal and fan-out as a reply typed in the chat, idempotent by the line's id), only
/// when the caller may act in that conversation (ADR 0008: otherwise its 404 or forbidden, nothing stored); one
/// without a conversation goes to the channels' <see cref="ITicketReplySender"/>s after commit. A public reply meets the
/// first and next reply targets and opens a new ticket. Closed and merged tickets take no new lines.
/// </summary>
internal sealed partial class AddTicketEntry(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, TicketWriter writer, TicketFollowers followers, IMessageWriter messages,
    IConversationDirectory conversations, IConversationAccess conversationAccess, IEnumerable<ITicketReplySender> senders, TimeProvider time, ILogger<AddTicketEntry> logger)
{
    public static readonly KefuError Closed = new("ticket_closed", "This ticket is closed; the customer's next message opens a follow-up.");

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/tickets/{id:guid}/entries", async Task<Results<Created<TicketEntryDto>, ProblemHttpResult>> (
                Guid id, TicketEntryInput input, HttpContext http, AddTicketEntry handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Created($"/api/v1/tickets/{id}", dto!) : KefuProblems.Problem(error, http.Response))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("AddTicketEntry")
            .WithTags("Tickets");

    public async Task<(TicketEntryDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid id, TicketEntryInput? input, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        var (text, invalid) = TicketRules.Text(input?.Text);
        if (text is null || !TicketRules.Declared(input!.Status))
        {
            return (null, invalid ?? TicketErrors.Invalid("status", "Unknown value."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await gate.FindVisibleAsync(db, caller, id, ct);
        if (ticket is null)
        {
            return (null, TicketErrors.NotFound);
        }

        if (ticket.MergedIntoId is not null || ticket.Status == TicketStatus.Closed)
        {
            return (null, ticket.MergedIntoId is null ? Closed : TicketErrors.Merged);
        }

        var status = input.Status ?? (!input.Internal && ticket.Status == TicketStatus.New ? TicketStatus.Open : null);
        if (status is { } to && !TicketTransitions.IsAllowed(ticket.Status, to))
        {
            return (null, TicketErrors.Transition(ticket.Status, to));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = new TicketEntry
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, TicketId = id, Kind = input.Internal ? TicketEntryKind.Note : TicketEntryKind.Reply,
            AuthorId = caller.UserId, AuthorName = caller.DisplayName, Text = text, CreatedAt = now,
        };
        if (!input.Internal && ticket.ConversationId is { } conversationId && await conversations.FindAsync(conversationId, ct) is { } owner)
        {
            // Seeing the ticket is not enough to write in its chat: the caller must be allowed to act in that conversation.
            if (await conversationAccess.CheckAsync(caller, conversationId, ct) is { } refused)
            {
                return (null, refused);
            }

            // The chat gets it first: if the message path refuses (busy, unavailable), nothing is stored on the ticket either.
            var (_, error) = await messages.WriteAsync(new MessageWrite(owner.TenantId, owner.InboxId, owner.ContactId, conversationId,
                "ticket-" + entry.Id.ToString("N"), SenderType.Agent, caller.UserId, caller.DisplayName, text, null), ct);
            if (error is not null)
            {
                return (null, error);
            }
        }

        var outbound = !input.Internal && ticket.ConversationId is null
            ? new TicketOutboundReply(ticket.TenantId, ticket.Id, ticket.Number, ticket.Subject, ticket.RequesterId, entry.Id, caller.DisplayName, text, ticket.InboxId)
            : null;
        if (outbound is not null && await UndeliverableAsync(outbound, ct) is { } undeliverable)
        {
            return (null, undeliverable); // a reply the customer would never get is not stored as sent
        }

        db.Add(entry);
        if (!input.Internal)
        {
            TicketSla.Replied(ticket, now);
        }

        if (!input.Internal)
        {
            await followers.AlertAsync(db, ticket, TicketAlertKind.Reply, caller.UserId, now, ct);
        }

        if (status is { } move && move != ticket.Status)
        {
            TicketChanges.Move(db, ticket, move, Actor.Agent(caller.UserId), now);
            await followers.AlertAsync(db, ticket, TicketAlertKind.StatusChanged, caller.UserId, now, ct);
        }

        ticket.UpdatedAt = now;
        ticket.Version++;
        await SaveOverNewerAsync(db, ticket, ct);
        writer.Changed(caller.TenantId, id);
        followers.Announce(caller.TenantId, [ticket]);
        if (outbound is not null)
        {
            await TellSendersAsync(outbound, ct);
        }

        return (TicketRules.ToDto(entry), null);
    }

    /// <summary>
    /// Saves the line and the ticket's changes. The durable lane may change the ticket between this request's read and
    /// its save (a customer's line from the chat, its SLA clock): a line does not depend on those fields, and the chat
    /// may already carry the reply, so refusing it would lose it. The save goes over the newer row, keeping this
    /// request's own changes and moving the version past the other's.
    /// </summary>
    private static async Task SaveOverNewerAsync(KefuDbContext db, Ticket ticket, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException ex) when (attempt < 3)
            {
                foreach (var entry in ex.Entries)
                {
                    var stored = await entry.GetDatabaseValuesAsync(ct);
                    if (stored is null)
                    {
                        throw; // deleted meanwhile: a real failure
                    }

                    entry.OriginalValues.SetValues(stored);
                }

                ticket.Version = db.Entry(ticket).OriginalValues.GetValue<int>(nameof(Ticket.Version)) + 1;
            }
        }
    }

    private async Task<KefuError?> UndeliverableAsync(TicketOutboundReply reply, CancellationToken ct)
    {
        foreach (var sender in senders)
        {
            if (await sender.CheckAsync(reply, ct) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    private async Task TellSendersAsync(TicketOutboundReply reply, CancellationToken ct)
    {
        foreach (var sender in senders)
        {
            try
            {
                await sender.SendAsync(reply, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSendFailed(logger, ex, reply.TicketId, reply.EntryId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A channel could not take the reply {EntryId} of ticket {TicketId}; it stays in the thread.")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, Guid ticketId, Guid entryId);
}
