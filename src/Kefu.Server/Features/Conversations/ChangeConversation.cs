using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// Applies an agent's change to a conversation as one conditional UPDATE plus its event (through the
/// journal), in one transaction, then announces the new state. The UPDATE does not touch
/// <see cref="Conversation.LastSeq"/>, so it never conflicts with the message writer.
/// </summary>
internal sealed class ChangeConversation(IDbContextFactory<KefuDbContext> dbFactory, ConversationAccess access, ListConversations reader, IMessageFanout fanout, TimeProvider time)
{
    public async Task<(ConversationDto?, KefuError?)> ApplyAsync(
        AgentIdentity agent,
        Guid conversationId,
        Func<IQueryable<Conversation>, DateTime, CancellationToken, Task<int>> update,
        Func<DateTime, ConversationEvent>? recordAs,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var mine = db.Conversations.Where(c => c.Id == conversationId && c.TenantId == agent.TenantId);
            if (await access.CheckAsync(db, agent, conversationId, cancellationToken) is { } denied)
            {
                return (null, denied);
            }

            var changed = await update(mine, now, cancellationToken);
            if (changed > 0 && recordAs is not null)
            {
                ConversationJournal.Append(db, recordAs(now));
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var dto = await reader.FindAsync(agent.TenantId, conversationId, cancellationToken);
        if (dto is not null)
        {
            fanout.ConversationChanged(agent.TenantId, dto);
        }

        return (dto, dto is null ? ConversationErrors.ConversationNotFound : null);
    }
}
