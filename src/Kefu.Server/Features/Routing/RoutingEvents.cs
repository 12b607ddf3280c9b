using System.Text.Json;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Routing on the durable lane: a conversation created without the bot, handed off by the bot or reopened
/// enters the queue; a resolved, assigned or transferred conversation frees or takes capacity, so the router
/// looks again. At least once and idempotent, like every consumer.
/// </summary>
internal sealed class RoutingEvents(EnqueueConversation enqueue, IDbContextFactory<KefuDbContext> dbFactory, RoutingSignal signal, TimeProvider time)
    : IOutboxConsumer
{
    public bool Handles(string type) => type is "conversation.created" or "conversation.handed_off" or "conversation.reopened"
        or "conversation.resolved" or "conversation.assigned" or "conversation.transferred";

    public async Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        switch (message.Type)
        {
            case "conversation.created" or "conversation.handed_off" or "conversation.reopened":
                var intentSkill = message.Type == "conversation.handed_off" ? IntentSkill(message.Payload) : null;
                await enqueue.HandleAsync(message.SubjectId, null, intentSkill, cancellationToken);
                break;
            case "conversation.resolved":
                await FreedAsync(message.SubjectId, cancellationToken);
                break;
            default:
                // An agent took it by replying (the writer's rule): it no longer waits.
                // Routing's own claims already removed the entry: read first, so the common case takes no write lock
                // away from the claims (on SQLite every write waits for the one writer).
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    var stale = db.QueueEntries.Where(q => q.ConversationId == message.SubjectId && db.Conversations.Any(c => c.Id == q.ConversationId && c.AssigneeId != null));
                    if (await stale.AnyAsync(cancellationToken))
                    {
                        await stale.ExecuteDeleteAsync(cancellationToken);
                    }
                }

                break;
        }

        signal.Notify();
    }

    /// <summary>The agent's idle time starts now, and the conversation leaves the line if it was still in it.</summary>
    private async Task FreedAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var assignee = await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.AssigneeId).FirstOrDefaultAsync(cancellationToken);
        if (assignee is { } agent)
        {
            await db.AgentProfiles.Where(p => p.UserId == agent).ExecuteUpdateAsync(s => s.SetProperty(p => p.LastFreedAt, now), cancellationToken);
        }

        await db.QueueEntries.Where(q => q.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The bot's hand-off may name a skill (<c>skill</c> in the payload) from the detected intent.</summary>
    private static string? IntentSkill(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.TryGetProperty("skill", out var skill) && skill.ValueKind == JsonValueKind.String ? skill.GetString() : null;
    }
}
