using Kefu.Nlu;

namespace Kefu.Server.Features.Knowledge.Contracts;

/// <summary>A published article as the bot and the widget search need it.</summary>
/// <param name="Id">Article id.</param>
/// <param name="Question">Its question.</param>
/// <param name="PlainAnswer">The answer as plain text, without marks (search snippets, training).</param>
/// <param name="Category">Its category.</param>
/// <param name="Language"><c>zh-CN</c> or <c>en</c>.</param>
/// <param name="ChatAnswer">The answer as the bot sends it: plain text with <c>**bold**</c> kept, which the widget and console render.</param>
internal sealed record KnowledgeEntry(Guid Id, string Question, string PlainAnswer, string Category, string Language, string ChatAnswer);

/// <summary>The trained classifier and search index of one language.</summary>
internal sealed record LanguageModel(string Language, IntentModel Intents, ArticleIndex Index);

/// <summary>
/// Everything the bot knows about one workspace, trained from its published articles. Immutable:
/// a retrain builds a new snapshot and swaps the reference, so answers never see a half-built model.
/// </summary>
internal sealed class KnowledgeSnapshot(IReadOnlyDictionary<Guid, KnowledgeEntry> articles, IReadOnlyDictionary<string, LanguageModel> models, DateTime trainedAt)
{
    public IReadOnlyDictionary<Guid, KnowledgeEntry> Articles { get; } = articles;
    public DateTime TrainedAt { get; } = trainedAt;

    /// <summary>The model of <paramref name="language"/>, or of the other language when this one has no articles.</summary>
    public LanguageModel? For(string language) =>
        models.TryGetValue(language, out var model) ? model : models.Values.FirstOrDefault();

    public KnowledgeEntry? Find(string? id) =>
        Guid.TryParse(id, out var guid) && Articles.TryGetValue(guid, out var entry) ? entry : null;
}
