using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// Moves a conversation between open and snoozed or pending: a conditional UPDATE of its status (never touching
/// <c>LastSeq</c>, so it never conflicts with the message writer), the <see cref="ConversationSnooze"/> row and the
/// event, in one transaction; then the new state is pushed to consoles and agent apps. Used by the agent's use cases,
/// the expiry sweep and the customer-reply consumer, so they cannot disagree.
/// </summary>
internal sealed partial class SnoozeStates(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access, IConversationReader reader, IMessageFanout fanout,
    TimeProvider time, ILogger<SnoozeStates> logger)
{
    /// <summary>An agent snoozes (<paramref name="status"/> Snoozed) or marks pending; acting rights as for resolving.</summary>
    public async Task<(ConversationDto?, KefuError?)> PutAsideAsync(
        AgentIdentity agent, Guid conversationId, ConversationStatus status, DateTime? until, CancellationToken cancellationToken)
    {
        if (await access.CheckAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var changed = await db.Conversations
                .Where(c => c.Id == conversationId && c.TenantId == agent.TenantId && c.Status != ConversationStatus.Resolved)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status), cancellationToken);
            if (changed == 0)
            {
                return (null, CollaborationErrors.ConversationResolved); // access was checked: it exists, so it is resolved
            }

            await db.Snoozes.Where(s => s.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
            db.Snoozes.Add(new ConversationSnooze { ConversationId = conversationId, TenantId = agent.TenantId, Status = status, Until = until, Since = now });
            ConversationJournal.Append(db, status == ConversationStatus.Snoozed
                ? new ConversationSnoozed(until) { TenantId = agent.TenantId, ConversationId = conversationId, Actor = Actor.Agent(agent.UserId), OccurredAt = now }
                : new ConversationPending { TenantId = agent.TenantId, ConversationId = conversationId, Actor = Actor.Agent(agent.UserId), OccurredAt = now });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogPutAside(logger, conversationId, status, agent.UserId);
        return await AnnounceAsync(agent.TenantId, conversationId, cancellationToken);
    }

    /// <summary>An agent opens a snoozed or pending conversation by hand.</summary>
    public async Task<(ConversationDto?, KefuError?)> OpenByAgentAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        if (await access.CheckAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        return await OpenAsync(agent.TenantId, conversationId, Actor.Agent(agent.UserId), OpenedReasons.Agent, null, cancellationToken)
            ? await AnnounceAsync(agent.TenantId, conversationId, cancellationToken)
            : (null, CollaborationErrors.NotSnoozed);
    }

    /// <summary>
    /// Opens the conversation when it is snoozed or pending. <paramref name="setBefore"/> (a customer's message time)
    /// leaves alone a snooze set after that message, which an old message still on the event lane must not end.
    /// False when nothing changed.
    /// </summary>
    public async Task<bool> OpenAsync(Guid tenantId, Guid conversationId, Actor actor, string reason, DateTime? setBefore, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var snooze = await db.Snoozes.AsNoTracking().FirstOrDefaultAsync(s => s.ConversationId == conversationId && s.TenantId == tenantId, cancellationToken);
        if (setBefore is { } message && snooze is not null && snooze.Since >= message)
        {
            return false;
        }

        var from = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.TenantId == tenantId)
            .Select(c => (ConversationStatus?)c.Status).FirstOrDefaultAsync(cancellationToken);
        var opened = from is ConversationStatus.Snoozed or ConversationStatus.Pending && await db.Conversations
            .Where(c => c.Id == conversationId && c.Status == from)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Open), cancellationToken) > 0;

        // A row left by a conversation resolved or reopened meanwhile goes too: it no longer stands for anything.
        await db.Snoozes.Where(s => s.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
        if (opened)
        {
            ConversationJournal.Append(db, new ConversationOpened(from!.Value, reason) { TenantId = tenantId, ConversationId = conversationId, Actor = actor, OccurredAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (opened)
        {
            LogOpened(logger, conversationId, from!.Value, reason);
            if (actor.Type != ActorType.Agent)
            {
                await AnnounceAsync(tenantId, conversationId, cancellationToken);
            }
        }

        return opened;
    }

    private async Task<(ConversationDto?, KefuError?)> AnnounceAsync(Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        var dto = await reader.FindAsync(tenantId, conversationId, cancellationToken);
        if (dto is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        fanout.ConversationChanged(tenantId, dto);
        return (dto, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} set {Status} by agent {AgentId}")]
    private static partial void LogPutAside(ILogger logger, Guid conversationId, ConversationStatus status, Guid agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} open again (was {From}, {Reason})")]
    private static partial void LogOpened(ILogger logger, Guid conversationId, ConversationStatus from, string reason);
}
