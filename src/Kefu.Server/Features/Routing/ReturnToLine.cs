using System.Text.Json;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Puts an agent's open conversations back in line when they can no longer answer (deactivated): without this the
/// conversations stayed assigned to someone who would never reply, and the router skipped them because they were held.
/// </summary>
internal sealed partial class ReturnToLine(
    IDbContextFactory<KefuDbContext> dbFactory, EnqueueConversation enqueue, IConversationReader reader, IMessageFanout fanout,
    RoutingSignal signal, TimeProvider time, ILogger<ReturnToLine> logger) : IConversationRelease
{
    public async Task<int> ReturnToLineAsync(Guid tenantId, Guid agentId, string reason, CancellationToken cancellationToken)
    {
        List<Guid> held;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            held = await db.Conversations.AsNoTracking()
                .Where(c => c.TenantId == tenantId && c.AssigneeId == agentId && c.Status != ConversationStatus.Resolved)
                .Select(c => c.Id).ToListAsync(cancellationToken);
        }

        var returned = 0;
        foreach (var id in held)
        {
            // Past this point the person is already deactivated: every conversation must go back, whoever cancels.
            try
            {
                if (await ReturnAsync(tenantId, id, agentId, reason, CancellationToken.None))
                {
                    returned++;
                }
            }
            catch (DbUpdateException ex)
            {
                LogFailed(logger, ex, id); // one failing conversation must not keep the others with an absent agent
            }
        }

        if (returned > 0)
        {
            LogReturned(logger, returned, reason);
            signal.Notify(); // the router assigns them and pushes the visitors' places in line
        }

        return returned;
    }

    private async Task<bool> ReturnAsync(Guid tenantId, Guid conversationId, Guid agentId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Guid? teamId;
        string? skills;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            (teamId, skills) = await LastQueuedAsync(db, conversationId, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Conditional on the agent still holding it: a supervisor who reassigned it meanwhile wins.
            var changed = await db.Conversations
                .Where(c => c.Id == conversationId && c.AssigneeId == agentId && c.Status != ConversationStatus.Resolved)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, (Guid?)null).SetProperty(c => c.Handler, ConversationHandler.Queue), cancellationToken);
            if (changed == 0)
            {
                return false;
            }

            ConversationJournal.Append(db, new ConversationTransferred(null, teamId, agentId, reason, null)
            {
                TenantId = tenantId, ConversationId = conversationId, Actor = Actor.System, OccurredAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await enqueue.HandleAsync(conversationId, teamId, skills, cancellationToken);
        if (await reader.FindAsync(tenantId, conversationId, cancellationToken) is { } dto)
        {
            fanout.ConversationChanged(tenantId, dto);
        }

        return true;
    }

    /// <summary>
    /// The team and skills the conversation last waited with (its <c>conversation.queued</c> step): the bot's detected
    /// intent is not stored elsewhere, and the next agent should match it as the first one did.
    /// </summary>
    private static async Task<(Guid? TeamId, string? Skills)> LastQueuedAsync(KefuDbContext db, Guid conversationId, CancellationToken cancellationToken)
    {
        var data = await db.ConversationEvents.AsNoTracking()
            .Where(e => e.ConversationId == conversationId && e.Type == ConversationQueued.Name)
            .OrderByDescending(e => e.Id).Select(e => e.Data).FirstOrDefaultAsync(cancellationToken);
        if (data is null)
        {
            return (null, null);
        }

        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        Guid? team = root.TryGetProperty("teamId", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetGuid(out var g) ? g : null;
        var skills = root.TryGetProperty("skills", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return (team, skills);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} conversations went back to the line ({Reason})")]
    private static partial void LogReturned(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} could not go back to the line")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid conversationId);
}
