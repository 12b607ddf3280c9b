using System.Text.Json;
using Kefu.Nlu;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary>Assembles the hand-off packet from the conversation, the bot's turns and the knowledge it used.</summary>
internal static class HandoffPacketBuilder
{
    public const int TranscriptMessages = 50;
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<HandoffPacketDto> BuildAsync(
        KefuDbContext db, BotContext context, BotTurn turn, string reason, bool agentsAvailable, KnowledgeSnapshot knowledge, CancellationToken cancellationToken)
    {
        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == context.ConversationId)
            .OrderByDescending(m => m.Seq).Take(TranscriptMessages)
            .Select(m => new { m.Seq, m.SenderType, m.Text, m.CreatedAt })
            .ToListAsync(cancellationToken);
        var transcript = messages.OrderBy(m => m.Seq)
            .Select(m => new TranscriptLineDto(m.Seq, m.SenderType, Cut(m.Text, 500), m.CreatedAt)).ToList();

        var turns = context.RecentTurns.Prepend(turn).ToList();
        // Only intents the engine's calibration stands behind: a 0.2 guess among twenty articles is noise to an agent
        // (and would route by a skill the visitor never asked about).
        var classified = turns.FirstOrDefault(t => t.Intents is not null);
        var model = classified is null ? null : knowledge.For(classified.Language)?.Intents;
        var intents = (classified is null || model is null ? [] : ReadIntents(classified.Intents))
            .Where(i => knowledge.Articles.ContainsKey(i.Id))
            .Select(i => (i.Id, i.Score, Level: model!.Describe(i.Score)))
            .Where(i => i.Level != IntentConfidence.Unclear)
            .Select(i => new IntentScoreDto(i.Id, knowledge.Articles[i.Id].Question, Math.Round(i.Score, 4), i.Level.ToString().ToLowerInvariant()))
            .ToList();
        var shown = turns.AsEnumerable().Reverse().SelectMany(t => ReadIds(t.Shown)).Distinct()
            .Select(id => new ArticleRefDto(id, knowledge.Articles.TryGetValue(id, out var a) ? a.Question : "?"))
            .ToList();

        var moods = transcript.Where(l => l.Sender == SenderType.Visitor).Select(l => Sentiment.Analyze(l.Text)).ToList();
        var last = Sentiment.Analyze(context.Message.Text);
        var sentiment = new SentimentDto(
            Math.Round(last.Score, 3),
            Math.Round(moods.Count == 0 ? last.Score : Math.Min(last.Score, moods.Min(m => m.Score)), 3),
            last.IsAngry || moods.Any(m => m.IsAngry),
            moods.SelectMany(m => m.Cues).Concat(last.Cues).Distinct(StringComparer.Ordinal).Take(20).ToList());

        return new HandoffPacketDto(context.ConversationId, reason, agentsAvailable, turn.CreatedAt, transcript, intents, shown, sentiment);
    }

    public static string WriteIntents(IEnumerable<(Guid Id, double Score)> intents) =>
        JsonSerializer.Serialize(intents.Select(i => new ScoredId(i.Id, i.Score)), Json);

    public static IReadOnlyList<ScoredId> ReadIntents(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ScoredId>>(json, Json) ?? [];

    public static IReadOnlyList<Guid> ReadIds(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<Guid>>(json, Json) ?? [];

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>An article id with the classifier's confidence.</summary>
    internal sealed record ScoredId(Guid Id, double Score);
}
