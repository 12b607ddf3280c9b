using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Notifications;

/// <summary>
/// The bell lines collaboration asks for: each agent a note mentions (<see cref="NotificationKind.Mention"/>), and each
/// follower of a conversation (<see cref="NotificationKind.Following"/>) on a customer's message, a note or a status
/// change in it. Never the agent who caused it, and one line per agent and event (a mention is not also a follow line).
/// </summary>
internal static class FollowerTargets
{
    /// <summary>The events followers hear of besides customers' messages.</summary>
    public static bool Handles(ConversationEvent e) =>
        e is NoteCreated or ConversationResolved or ConversationReopened or ConversationSnoozed or ConversationPending or ConversationOpened;

    public static async Task<List<(ConversationEvent Event, Guid Agent, NotificationKind Kind, long Seq)>> ForAsync(
        KefuDbContext db, IReadOnlyList<ConversationEvent> events, HashSet<(ConversationEvent, Guid)> toldAlready, CancellationToken cancellationToken)
    {
        var relevant = events.Where(e => Handles(e) || e is MessageCreated { Sender: SenderType.Visitor }).ToList();
        var targets = new List<(ConversationEvent, Guid, NotificationKind, long)>();
        if (relevant.Count == 0)
        {
            return targets;
        }

        var ids = relevant.Select(e => e.ConversationId).Distinct().ToList();
        var followers = (await db.ConversationFollowers.AsNoTracking().Where(f => EF.Parameter(ids).Contains(f.ConversationId))
                .Select(f => new { f.ConversationId, f.AgentId, f.TenantId }).ToListAsync(cancellationToken))
            .ToLookup(f => f.ConversationId);
        foreach (var e in relevant)
        {
            var mentioned = e is NoteCreated note ? note.MentionedAgentIds.Where(a => a != e.Actor.Id).Distinct().ToList() : [];
            targets.AddRange(mentioned.Select(a => (e, a, NotificationKind.Mention, 0L)));
            foreach (var follower in followers[e.ConversationId].Where(f => f.TenantId == e.TenantId))
            {
                var self = e.Actor.Type is ActorType.Agent && e.Actor.Id == follower.AgentId;
                if (!self && !mentioned.Contains(follower.AgentId) && !toldAlready.Contains((e, follower.AgentId)))
                {
                    targets.Add((e, follower.AgentId, NotificationKind.Following, e is MessageCreated m ? m.Seq : 0L));
                }
            }
        }

        return targets;
    }
}
