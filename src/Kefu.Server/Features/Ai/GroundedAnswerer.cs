using System.Text.RegularExpressions;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;

namespace Kefu.Server.Features.Ai;

/// <summary>
/// The LLM's part in the bot: when the offline engine is unsure, the model answers from the top retrieved articles
/// only, and the answer counts only when it cites one of the articles it was given. No citation, a citation of
/// anything else, "NO_ANSWER", a timeout or an error → null, and the bot does what it does without an LLM.
/// </summary>
internal sealed partial class GroundedAnswerer(AiGateway gateway, IKnowledgeModels models) : IUnsureAnswerer
{
    /// <summary>Articles the model sees: few enough to keep the prompt small and the answer grounded.</summary>
    public const int MaxArticles = 3;

    public async Task<GroundedAnswer?> TryAnswerAsync(UnsureQuestion question, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(question.Text) || await gateway.EnabledAsync(question.TenantId, cancellationToken) is null)
        {
            return null;
        }

        var knowledge = await models.GetAsync(question.TenantId, cancellationToken);
        var ids = question.Candidates
            .Concat(knowledge.For(question.Language)?.Index.Search(question.Text, MaxArticles * 2)
                .Where(h => h.Score > 0).Select(h => Guid.TryParse(h.Id, out var g) ? g : Guid.Empty) ?? [])
            .Where(knowledge.Articles.ContainsKey).Distinct().Take(MaxArticles).ToList();
        if (ids.Count == 0)
        {
            return null; // nothing retrieved: nothing to ground an answer in
        }

        var articles = ids.Select(id => knowledge.Articles[id]).Select(a => (a.Id, a.Question, a.PlainAnswer)).ToList();
        var reply = await gateway.CompleteAsync(question.TenantId, AiPurposes.Answer, AiPrompts.Grounded(question.Language, articles, question.Text), cancellationToken);
        return reply.Ok ? Check(reply.Text!, ids) : null;
    }

    /// <summary>The answer without its citations, when it cites exactly articles it was given; otherwise null.</summary>
    public static GroundedAnswer? Check(string text, IReadOnlyList<Guid> given)
    {
        if (text.Contains(AiPrompts.NoAnswer, StringComparison.Ordinal))
        {
            return null;
        }

        var cited = Citation().Matches(text).Select(m => Guid.TryParse(m.Groups[1].Value, out var g) ? g : Guid.Empty).ToList();
        if (cited.Count == 0 || cited.Any(id => !given.Contains(id)))
        {
            return null;
        }

        var clean = MessageRules.Clean(Citation().Replace(text, "").Trim());
        return clean is null ? null : new GroundedAnswer(clean, cited[0]);
    }

    [GeneratedRegex(@"\[\s*article\s*:\s*([0-9a-fA-F\-]{32,36})\s*\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Citation();
}
