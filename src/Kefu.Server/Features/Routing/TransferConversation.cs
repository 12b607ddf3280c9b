using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>Where to move a conversation: exactly one of an agent or a team, with an optional note for the next person.</summary>
/// <param name="AgentId">Target agent (must be online with free capacity).</param>
/// <param name="TeamId">Target team: the conversation goes back in line for that team.</param>
/// <param name="Note">Handover note, shown in the timeline.</param>
public sealed record TransferRequest(Guid? AgentId, Guid? TeamId, [property: MaxLength(1000)] string? Note);

/// <summary>
/// <c>POST /api/v1/conversations/{id}/transfer</c>: the assignee (or a supervisor) hands a conversation to an
/// agent or a team. Agent: a claim from the current assignee (<c>WHERE AssigneeId = @from</c>), refused when the
/// target is offline or full. Team: unassigned and queued for that team. Bad input changes nothing.
/// </summary>
internal sealed class TransferConversation(
    IDbContextFactory<KefuDbContext> dbFactory, AssignConversation assign, RoutingAgents agents, EnqueueConversation enqueue,
    IConversationReader reader, IMessageFanout fanout, RoutingFanout routingFanout, RoutingSignal signal, TimeProvider time, IAccessControl accessControl)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/transfer", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, TransferRequest request, HttpContext http, TransferConversation handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, "transfer", ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("TransferConversation")
            .WithTags("Routing");

    /// <param name="reason"><c>transfer</c> (the assignee hands over) or <c>reassign</c> (a supervisor moves it).</param>
    public async Task<(ConversationDto?, KefuError?)> HandleAsync(
        AgentIdentity caller, Guid conversationId, TransferRequest request, string reason, CancellationToken cancellationToken)
    {
        if (request.AgentId is null == request.TeamId is null)
        {
            return (null, RoutingErrors.TransferTarget);
        }

        request = request with { Note = request.Note is null ? null : Hosting.SafeText.MultiLine(request.Note) }; // shown in the timeline
        if (request.Note is { Length: > 1000 })
        {
            return (null, RoutingErrors.Invalid("The note is longer than 1000 characters."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.TenantId == caller.TenantId)
            .Select(c => new { c.AssigneeId, c.InboxId }).FirstOrDefaultAsync(cancellationToken);
        var workspace = await accessControl.GetWorkspaceAsync(caller.TenantId, caller.UserId, cancellationToken);
        if (current is null || workspace.For(caller) is not { } access || !access.CanSee(current.InboxId, current.AssigneeId, workspace))
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        var supervisor = access.Has(Permission.Supervise);
        if (!supervisor && (reason == "reassign" || current.AssigneeId != caller.UserId))
        {
            return (null, RoutingErrors.Forbidden);
        }

        return request.AgentId is { } agentId
            ? workspace.For(agentId)?.MayUseInbox(current.InboxId) == false
                ? (null, RoutingErrors.AgentNotFound) // limited to other inboxes: as if not there
                : await ToAgentAsync(db, caller, conversationId, current.AssigneeId, agentId, request.Note, reason, cancellationToken)
            : await ToTeamAsync(db, caller, conversationId, current.AssigneeId, request.TeamId!.Value, request.Note, cancellationToken);
    }

    private async Task<(ConversationDto?, KefuError?)> ToAgentAsync(
        KefuDbContext db, AgentIdentity caller, Guid conversationId, Guid? from, Guid agentId, string? note, string reason, CancellationToken cancellationToken)
    {
        await agents.EnsureProfilesAsync(db, caller.TenantId, cancellationToken);
        var target = await db.AgentProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == agentId && p.TenantId == caller.TenantId, cancellationToken);
        if (target is null)
        {
            return (null, RoutingErrors.AgentNotFound);
        }

        if (target.Presence != PresenceState.Online || !agents.IsPresent(agentId))
        {
            return (null, RoutingErrors.AgentOffline);
        }

        var (dto, error) = await assign.ClaimAsync(caller.TenantId, conversationId, agentId, new ClaimRequest(reason, caller.UserId, from, note), null, cancellationToken);
        if (dto is not null)
        {
            routingFanout.Transferred(caller.TenantId, agentId, dto, caller.UserId);
        }

        return (dto, error);
    }

    private async Task<(ConversationDto?, KefuError?)> ToTeamAsync(
        KefuDbContext db, AgentIdentity caller, Guid conversationId, Guid? from, Guid teamId, string? note, CancellationToken cancellationToken)
    {
        if (!await db.Teams.AnyAsync(t => t.Id == teamId && t.TenantId == caller.TenantId, cancellationToken))
        {
            return (null, RoutingErrors.TeamNotFound);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var changed = await db.Conversations
                .Where(c => c.Id == conversationId && c.AssigneeId == from && c.Status != ConversationStatus.Resolved)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, (Guid?)null).SetProperty(c => c.Handler, ConversationHandler.Queue), cancellationToken);
            if (changed == 0)
            {
                return (null, RoutingErrors.AlreadyAssigned);
            }

            await db.QueueEntries.Where(q => q.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
            ConversationJournal.Append(db, new ConversationTransferred(null, teamId, from, "transfer", note)
            {
                TenantId = caller.TenantId, ConversationId = conversationId, Actor = Actor.Agent(caller.UserId), OccurredAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // Committed: the conversation is back with the queue, so putting it in line must finish even if
        // the caller has gone (its token would leave it out of every line).
        await enqueue.HandleAsync(conversationId, teamId, null, CancellationToken.None);
        signal.Notify();
        var dto = await reader.FindAsync(caller.TenantId, conversationId, CancellationToken.None);
        fanout.ConversationChanged(caller.TenantId, dto!);
        return (dto, null);
    }
}
