using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Puts a conversation that needs a person in the line: skills from the inbox and the visitor's pre-chat department,
/// team from the inbox, rank from the
/// conversation's priority and the contact's tags, the visitor's previous agent. Idempotent (one entry per
/// conversation); does nothing for a conversation someone holds, the bot holds, or that is resolved.
/// </summary>
internal sealed class EnqueueConversation(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    /// <param name="leftBy">
    /// Set when the visitor left a message (the offline form) before routing queued the conversation: it enters the line
    /// already left, with the visitor as the journal's actor.
    /// </param>
    /// <returns>True when the conversation entered the queue now.</returns>
    public async Task<bool> HandleAsync(Guid conversationId, Guid? teamId, string? extraSkills, CancellationToken cancellationToken, Actor? leftBy = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var c = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == conversationId, cancellationToken);
        if (c is null || c.AssigneeId is not null || c.Handler != ConversationHandler.Queue || c.Status == ConversationStatus.Resolved ||
            await db.QueueEntries.AnyAsync(q => q.ConversationId == conversationId, cancellationToken))
        {
            return false;
        }

        var settings = await db.InboxRoutings.AsNoTracking().FirstOrDefaultAsync(r => r.InboxId == c.InboxId, cancellationToken)
                       ?? InboxRouting.Default(c.TenantId, c.InboxId);
        var tags = await db.Contacts.Where(x => x.Id == c.ContactId).Select(x => x.Tags).FirstAsync(cancellationToken);
        var vip = Words(tags).Overlaps(Words(settings.VipTags));
        var previous = await db.Conversations.AsNoTracking()
            .Where(x => x.ContactId == c.ContactId && x.Id != c.Id && x.AssigneeId != null)
            .OrderByDescending(x => x.CreatedAt).Select(x => x.AssigneeId).FirstOrDefaultAsync(cancellationToken);
        // The department the visitor chose in the pre-chat form adds its skills, as the bot's detected intent does.
        var department = await db.PreChatSubmissions.Where(p => p.ContactId == c.ContactId && p.InboxId == c.InboxId)
            .Select(p => p.RequiredSkills).FirstOrDefaultAsync(cancellationToken);
        var skills = SkillSet.Parse(settings.RequiredSkills).With(SkillSet.Parse(extraSkills)).With(SkillSet.Parse(department));

        // Outside business hours, with leave-a-message on, the visitor has been told to leave a message (the bot's
        // words come from the same settings): the conversation is one to answer later, not one in line.
        var leftMessage = leftBy is not null || settings.ClosedLeaveMessage && !settings.Hours().IsOpen(time.GetUtcNow());
        db.QueueEntries.Add(new QueueEntry
        {
            ConversationId = c.Id, TenantId = c.TenantId, InboxId = c.InboxId, ContactId = c.ContactId,
            Rank = RoutingEngine.Rank((int)c.Priority, vip), EnqueuedAt = now, RequiredSkills = skills.ToString(),
            TeamId = teamId ?? settings.TeamId, PreferredAgentId = previous, State = leftMessage ? QueueState.LeftMessage : QueueState.Waiting,
        });
        ConversationJournal.Append(db, new ConversationQueued(RoutingEngine.Rank((int)c.Priority, vip), vip, teamId ?? settings.TeamId, skills.ToString())
        {
            TenantId = c.TenantId, ConversationId = c.Id, Actor = Actor.System, OccurredAt = now,
        });
        if (leftMessage)
        {
            ConversationJournal.Append(db, new ConversationLeftMessage { TenantId = c.TenantId, ConversationId = c.Id, Actor = leftBy ?? Actor.System, OccurredAt = now });
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The conversation carries when and for which team it entered the line, so the list's waiting time and the
            // Team view need no join into routing's table. A conditional update, not a tracked save: the message
            // writer's concurrency tokens must not make this lose to a visitor who writes at the same moment.
            await db.Conversations.Where(x => x.Id == c.Id && x.AssigneeId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.WaitingSince, now).SetProperty(x => x.TeamId, teamId ?? settings.TeamId), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return false; // another node queued it first
        }

        return true;
    }

    private static HashSet<string> Words(string text) =>
        new(text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
}
