using Kefu.Nlu;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;

namespace Kefu.Server.Features.Knowledge;

/// <summary>Builds a <see cref="KnowledgeSnapshot"/> from published articles: one classifier and index per language.</summary>
internal static class KnowledgeTrainer
{
    // Questions a shop FAQ never answers. They never become intents; they place the out-of-scope
    // threshold (docs/nlu.md: out-of-scope examples are the most effective calibration data).
    private static readonly Dictionary<string, string[]> OutOfScope = new()
    {
        ["zh-CN"] = ["今天天气怎么样", "给我讲个笑话", "帮我写一首诗", "股票明天会涨吗", "附近有什么好吃的", "明天会下雨吗", "你喜欢什么颜色",
            "推荐一部电影", "一加一等于几", "世界上最高的山是哪座", "怎么学编程", "今晚吃什么好"],
        ["en"] = ["what is the weather today", "tell me a joke", "write me a poem", "will the stock market go up", "recommend a good movie",
            "will it rain tomorrow", "what is your favourite colour", "who won the football game", "how do I learn to code",
            "what is the tallest mountain", "what should I cook tonight", "what is the meaning of life"],
    };

    public static KnowledgeSnapshot Train(IReadOnlyList<Article> published, DateTime now)
    {
        var entries = published.ToDictionary(a => a.Id, a => new KnowledgeEntry(
            a.Id, a.Question, ArticleMarkdown.ToPlainText(a.Answer, MessageRules.MaxTextLength), a.Category, a.Language,
            ArticleMarkdown.ToChatText(a.Answer, MessageRules.MaxTextLength)));
        var models = new Dictionary<string, LanguageModel>(StringComparer.Ordinal);
        foreach (var group in published.GroupBy(a => a.Language, StringComparer.Ordinal))
        {
            var examples = new List<TrainingExample>();
            foreach (var article in group)
            {
                var label = article.Id.ToString();
                examples.Add(new TrainingExample(article.Question, label));
                examples.AddRange(article.Phrasings.Select(p => new TrainingExample(p, label)));
            }

            examples.AddRange(OutOfScope.GetValueOrDefault(group.Key, []).Select(t => new TrainingExample(t, IntentModel.OutOfScopeLabel)));
            var index = ArticleIndex.Build(group.Select(a => new ArticleText(
                a.Id.ToString(), string.Join('\n', [a.Question, .. a.Phrasings, entries[a.Id].PlainAnswer]))));
            models[group.Key] = new LanguageModel(group.Key, IntentModel.Train(examples), index);
        }

        return new KnowledgeSnapshot(entries, models, now);
    }
}
