using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// Scores every resolved conversation (all of them, not a sample) by each active scorecard of its workspace, on the
/// durable lane. It takes <c>conversation.resolved</c> and <c>survey.answered</c> (a CSAT answer usually comes after the
/// resolve; it refreshes an existing score), never a message event. Idempotent: one row per (version, conversation), and a
/// repeated event recomputes the same outcomes and keeps overrides.
/// </summary>
internal sealed partial class ScoreResolvedConversations(IDbContextFactory<KefuDbContext> dbFactory, ScoreWriter writer, ILogger<ScoreResolvedConversations> logger)
    : IOutboxConsumer
{
    public string Name => "quality";

    public bool Handles(ConversationEvent e) => e is ConversationResolved or SurveyAnswered;

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var tenants = events.Select(e => e.TenantId).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cards = await writer.ActiveAsync(db, tenants, cancellationToken);
        if (cards.Count == 0)
        {
            return; // a workspace without scorecards stops at one query
        }

        var resolved = events.OfType<ConversationResolved>().Select(e => e.ConversationId).ToHashSet();
        var answered = events.OfType<SurveyAnswered>().Select(e => e.ConversationId).Where(id => !resolved.Contains(id)).Distinct().ToList();
        if (answered.Count > 0)
        {
            // A survey answer refreshes only conversations already scored; an open one is scored when it is resolved.
            var scored = await db.Set<QualityScore>().Where(s => EF.Parameter(answered).Contains(s.ConversationId)).Select(s => s.ConversationId)
                .Distinct().ToListAsync(cancellationToken);
            resolved.UnionWith(scored);
        }

        var scripts = await ScoreWriter.LoadAsync(db, resolved, cancellationToken);
        var written = await writer.ScoreAsync(db, scripts, cards, cancellationToken);
        if (written > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogScored(logger, scripts.Count, written);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quality: {Conversations} conversations scored, {Scores} scores written")]
    private static partial void LogScored(ILogger logger, int conversations, int scores);
}
