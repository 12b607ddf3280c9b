using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>POST /api/v1/tickets</c> (Tickets permission): a ticket by the API, or by an agent for a customer, or from a
/// conversation the caller may see (its customer becomes the requester, its transcript is copied and the link kept).
/// Everything is checked before anything is stored.
/// </summary>
internal sealed class CreateTicket(IDbContextFactory<KefuDbContext> dbFactory, TicketGate gate, TicketWriter writer, IConversationDirectory conversations,
    IConversationAccess conversationAccess, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/tickets", async Task<Results<Created<TicketDto>, ProblemHttpResult>> (
                TicketInput input, HttpContext http, CreateTicket handler, CancellationToken ct) =>
            {
                var caller = AgentIdentity.From(http.User)!;
                // A key of an integration is the API; a person in the console or with their own token is an agent.
                var source = caller.PermissionCap is null ? TicketSource.Agent : TicketSource.Api;
                var (dto, error) = await handler.HandleAsync(caller, input, source, ct);
                return error is null ? TypedResults.Created($"/api/v1/tickets/{dto!.Id}", dto) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("CreateTicket")
            .WithTags("Tickets");

    public async Task<(TicketDto?, KefuError?)> HandleAsync(AgentIdentity caller, TicketInput? input, TicketSource source, CancellationToken ct)
    {
        if (await gate.CheckAsync(caller, ct) is { } denied)
        {
            return (null, denied);
        }

        if (input is null || !TicketRules.Declared(input.Priority) || !TicketRules.Declared(input.Type))
        {
            return (null, TicketErrors.Invalid(input is null ? "subject" : !TicketRules.Declared(input.Priority) ? "priority" : "type", "Unknown value."));
        }

        var (subject, error) = TicketRules.Subject(input.Subject);
        var (tags, tagError) = TicketRules.Tags(input.Tags);
        string? description = null;
        if (input.Description is { Length: > 0 })
        {
            (description, var textError) = TicketRules.Text(input.Description);
            error ??= textError is null ? null : textError with { Field = "description" };
        }

        if ((error ?? tagError) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var requester = input.RequesterId;
        var inbox = input.InboxId;
        if (input.ConversationId is null && inbox is { } inboxId && await gate.CheckInboxAsync(db, caller, inboxId, ct) is { } badInbox)
        {
            return (null, badInbox);
        }

        if (input.ConversationId is { } conversationId)
        {
            if (await conversationAccess.CheckReadAsync(caller, conversationId, ct) is not null ||
                await conversations.FindAsync(conversationId, ct) is not { } owner || owner.TenantId != caller.TenantId)
            {
                return (null, TicketErrors.Invalid("conversationId", "No such conversation.") with { Code = "conversation_not_found" });
            }

            requester ??= owner.ContactId;
            inbox = owner.InboxId;
            source = TicketSource.Conversation;
        }

        if (requester is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId && c.TenantId == caller.TenantId, ct))
        {
            return (null, TicketErrors.Invalid("requesterId", "No such contact in this workspace."));
        }

        if (await gate.CheckPeopleAsync(db, caller.TenantId, input.AssigneeId, input.TeamId, null, ct) is { } people)
        {
            return (null, people);
        }

        // Agents and integrations fill the custom fields (channels cannot: their tickets skip the required check).
        var (fields, fieldError) = await TicketFieldRules.CheckAsync(db, caller.TenantId, input.Fields, creating: true, ct);
        if (fieldError is not null)
        {
            return (null, fieldError);
        }

        var ticket = await writer.CreateAsync(new TicketDraft(caller.TenantId, subject!, source, input.Priority ?? TicketPriority.Normal,
            input.Type ?? TicketType.Question, requester, input.AssigneeId, input.TeamId, tags!, input.ConversationId, Actor.Agent(caller.UserId))
        {
            FirstText = description, FirstKind = TicketEntryKind.Note, AuthorName = caller.DisplayName, InboxId = inbox, Fields = fields,
        }, ct);
        return (TicketRules.ToDto(ticket, time.GetUtcNow().UtcDateTime), null);
    }
}
