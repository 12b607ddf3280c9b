using System.Text.Json;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Hosting.Telemetry;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary>
/// Stores a bot turn and, for a hand-off, in the same transaction: Handler bot → queue (a conditional
/// update that never touches LastSeq, so it cannot conflict with the message writer), the
/// <c>conversation.handed_off</c> event and outbox row, and the packet. Then announces the change.
/// </summary>
internal sealed class RecordBotTurn(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationReader reader, IMessageFanout fanout, KefuMetrics metrics, TimeProvider time, Flows.FlowContactWriter contacts)
{
    public async Task CommitAsync(
        BotContext context, BotDecision decision, string language, bool agentsAvailable, KnowledgeSnapshot knowledge, CancellationToken cancellationToken,
        Flows.FlowTurnResult? flow = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var turn = ToTurn(context, decision, language, now);
        var handedOff = false;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (flow is not null)
            {
                // The run's state and its contact changes commit with the turn: a replayed event finds the turn and stops.
                Flows.FlowEngine.Save(db, flow, now);
                await contacts.ApplyAsync(db, context.TenantId, context.ContactId, flow.Turn.Changes, cancellationToken);
            }

            if (decision.Outcome == BotOutcome.HandedOff)
            {
                handedOff = await HandOffAsync(db, context, turn, decision, agentsAvailable, knowledge, now, flow, cancellationToken);
            }

            if (decision.Outcome is BotOutcome.Helpful or BotOutcome.NotHelpful ||
                decision is { Outcome: BotOutcome.HandedOff, ArticleId: not null })
            {
                db.ArticleFeedback.Add(new ArticleFeedback
                {
                    TenantId = context.TenantId, ArticleId = decision.ArticleId!.Value, ConversationId = context.ConversationId,
                    Helpful = decision.Outcome == BotOutcome.Helpful, Source = "bot", CreatedAt = now,
                });
            }

            db.BotTurns.Add(turn);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        metrics.BotTurn(OutcomeLabels[(int)decision.Outcome]);
        if (handedOff)
        {
            metrics.Handoff(decision.HandoffReason!);
        }

        if (handedOff && await reader.FindAsync(context.TenantId, context.ConversationId, cancellationToken) is { } dto)
        {
            fanout.ConversationChanged(context.TenantId, dto);
        }
    }

    /// <summary>Metric labels of <see cref="BotOutcome"/>, by value: made once, so counting a turn allocates nothing.</summary>
    private static readonly string[] OutcomeLabels = [.. Enum.GetNames<BotOutcome>().Select(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName)];

    private static async Task<bool> HandOffAsync(
        KefuDbContext db, BotContext context, BotTurn turn, BotDecision decision, bool agentsAvailable, KnowledgeSnapshot knowledge, DateTime now,
        Flows.FlowTurnResult? flow, CancellationToken cancellationToken)
    {
        var angry = decision.HandoffReason == Contracts.HandoffReasons.Angry;
        var changed = await db.Conversations
            .Where(c => c.Id == context.ConversationId && c.Handler == ConversationHandler.Bot)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Handler, ConversationHandler.Queue)
                .SetProperty(c => c.Priority, c => angry && c.Priority == ConversationPriority.Normal ? ConversationPriority.High : c.Priority), cancellationToken);
        if (changed == 0)
        {
            return false; // a person took it meanwhile: nothing to hand off
        }

        var reason = decision.HandoffReason!;
        var flowSkill = flow?.Turn.Finish?.Skill;
        var packet = await HandoffPacketBuilder.BuildAsync(db, context, turn, reason, agentsAvailable, knowledge, cancellationToken);
        if (flow is not null)
        {
            packet = packet with { Flow = Flows.FlowEngine.Packet(flow, flowSkill) };
        }

        db.HandoffPackets.Add(new HandoffPacket
        {
            Id = Guid.CreateVersion7(now), TenantId = context.TenantId, ConversationId = context.ConversationId, Reason = reason,
            AgentsAvailable = agentsAvailable, Data = JsonSerializer.Serialize(packet, HandoffPacketBuilder.Json), CreatedAt = now,
        });
        var intent = packet.Intents.FirstOrDefault();
        ConversationJournal.Append(db, new ConversationHandedOff(reason, agentsAvailable, intent?.ArticleId.ToString(), flowSkill ?? (intent is null ? null : IntentSkill(knowledge, intent.ArticleId)))
        {
            TenantId = context.TenantId, ConversationId = context.ConversationId, Actor = Actor.Bot, OccurredAt = now,
        });
        return true;
    }

    /// <summary>
    /// The skill a detected intent asks for: its article's category, when that is one word (<c>refunds</c>,
    /// <c>shipping</c>). Routing requires it only when some agent of the workspace has it (docs/routing.md).
    /// </summary>
    internal static string? IntentSkill(KnowledgeSnapshot knowledge, Guid articleId) =>
        knowledge.Articles.TryGetValue(articleId, out var article) && article.Category.Trim() is { Length: > 0 and <= 40 } category &&
        !category.Any(c => char.IsWhiteSpace(c) || c is ',' or ';' or ':')
            ? category
            : null;

    private static BotTurn ToTurn(BotContext context, BotDecision decision, string language, DateTime now)
    {
        var shown = decision.Outcome == BotOutcome.Answered && decision.ArticleId is { } a ? [a] : decision.Choices;
        var question = context.Action is null ? context.Message.Text : null;
        return new BotTurn
        {
            TenantId = context.TenantId, ConversationId = context.ConversationId, MessageId = context.Message.Id, Seq = context.Message.Seq,
            Outcome = decision.Outcome, IsMiss = decision.IsMiss, Unanswered = decision.Unanswered && !string.IsNullOrWhiteSpace(question),
            Language = language, HandoffReason = decision.HandoffReason, ArticleId = decision.ArticleId, Confidence = decision.Confidence,
            Intents = decision.Intents.Count == 0 ? null : HandoffPacketBuilder.WriteIntents(decision.Intents),
            Shown = shown.Count == 0 ? null : JsonSerializer.Serialize(shown, HandoffPacketBuilder.Json),
            Question = question is null ? null : question.Length <= 500 ? question : question[..500],
            CreatedAt = now,
        };
    }
}
