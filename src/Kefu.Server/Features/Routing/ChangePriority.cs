using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>The priority to set.</summary>
/// <param name="Priority"><c>low</c>, <c>normal</c>, <c>high</c> or <c>urgent</c>.</param>
public sealed record PriorityRequest(string? Priority);

/// <summary>
/// <c>PUT /api/v1/conversations/{id}/priority</c>: anyone who can see a conversation sets its priority by hand (as
/// Zendesk and Chatwoot allow any agent on the ticket to). A waiting visitor moves in line with it (the queue rank is
/// the priority plus the VIP bonus); the change is journaled with who made it and pushed to every console. Setting the
/// priority it already has changes and records nothing.
/// </summary>
internal sealed partial class ChangePriority(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access, IConversationReader reader, IMessageFanout fanout,
    RoutingSignal signal, TimeProvider time, ILogger<ChangePriority> logger)
{
    /// <summary>The priority is missing or not one of the four.</summary>
    public static readonly KefuError InvalidPriority = new("invalid_priority", "priority must be low, normal, high or urgent.") { Field = "priority" };

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/conversations/{id:guid}/priority", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, PriorityRequest request, HttpContext http, ChangePriority handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("ChangeConversationPriority")
            .WithTags("Conversations");

    public async Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, PriorityRequest request, CancellationToken cancellationToken)
    {
        // Visibility first: someone who may not see the conversation learns nothing about it, not even that the body was wrong.
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        if (!TryParse(request.Priority, out var to))
        {
            return (null, InvalidPriority);
        }

        var changed = false;
        for (var attempt = 0; attempt < 3 && !changed; attempt++)
        {
            var from = await CurrentAsync(agent.TenantId, conversationId, cancellationToken);
            if (from is null)
            {
                return (null, ConversationErrors.ConversationNotFound);
            }

            if (from == to)
            {
                break;
            }

            changed = await SetAsync(agent, conversationId, from.Value, to, cancellationToken);
        }

        var dto = await reader.FindAsync(agent.TenantId, conversationId, cancellationToken);
        if (dto is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        if (changed)
        {
            LogChanged(logger, conversationId, to, agent.UserId);
            fanout.ConversationChanged(agent.TenantId, dto);
            signal.Notify(); // the line's order may have changed
        }

        return (dto, null);
    }

    private async Task<ConversationPriority?> CurrentAsync(Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.TenantId == tenantId)
            .Select(c => (ConversationPriority?)c.Priority).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<bool> SetAsync(AgentIdentity agent, Guid conversationId, ConversationPriority from, ConversationPriority to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Conditional on the priority read before: when the angry-visitor rule or a colleague changed it meanwhile, the
        // caller reads again instead of moving the queue rank by a step computed from a stale value.
        if (await db.Conversations.Where(c => c.Id == conversationId && c.Priority == from)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Priority, to), cancellationToken) == 0)
        {
            return false;
        }

        var step = (int)to - (int)from;
        await db.QueueEntries.Where(q => q.ConversationId == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Rank, q => q.Rank + step), cancellationToken);
        ConversationJournal.Append(db, new ConversationPriorityChanged(from, to, PriorityReasons.SetByAgent, "")
        {
            TenantId = agent.TenantId, ConversationId = conversationId, Actor = Actor.Agent(agent.UserId), OccurredAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The enum's names, any case; numbers are refused (they would tie the API to the enum's order).</summary>
    private static bool TryParse(string? text, out ConversationPriority priority) =>
        Enum.TryParse(text, ignoreCase: true, out priority) && !int.TryParse(text, out _) && Enum.IsDefined(priority);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId}: priority set to {To} by agent {AgentId}")]
    private static partial void LogChanged(ILogger logger, Guid conversationId, ConversationPriority to, Guid agentId);
}
