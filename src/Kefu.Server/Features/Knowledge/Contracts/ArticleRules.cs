using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Knowledge.Contracts;

/// <summary>Checks and cleans an article before it is stored, the same for the form, the API and imports.</summary>
internal static class ArticleRules
{
    public const int MaxQuestionLength = 300;
    public const int MaxAnswerLength = 20_000;
    public const int MaxCategoryLength = 50;
    public const int MaxPhrasings = 50;
    public const int MaxPhrasingLength = 300;

    /// <summary>The two languages the bot and the widget speak.</summary>
    public static readonly string[] Languages = ["zh-CN", "en"];

    /// <summary>Field errors by field name; empty when the input is valid.</summary>
    public static Dictionary<string, string[]> Validate(ArticleInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var question = SafeText.SingleLine(input.Question);
        if (question.Length is 0 or > MaxQuestionLength)
        {
            errors["question"] = [$"question must be 1-{MaxQuestionLength} characters."];
        }

        var answer = SafeText.MultiLine(input.Answer);
        if (answer.Length is 0 or > MaxAnswerLength)
        {
            errors["answer"] = [$"answer must be 1-{MaxAnswerLength} characters."];
        }

        if (SafeText.SingleLine(input.Category).Length > MaxCategoryLength)
        {
            errors["category"] = [$"category must be at most {MaxCategoryLength} characters."];
        }

        if (NormalizeLanguage(input.Language) is null)
        {
            errors["language"] = ["language must be zh-CN or en."];
        }

        var phrasings = input.Phrasings ?? [];
        if (phrasings.Count > MaxPhrasings || phrasings.Any(p => SafeText.SingleLine(p).Length > MaxPhrasingLength))
        {
            errors["phrasings"] = [$"at most {MaxPhrasings} phrasings of at most {MaxPhrasingLength} characters."];
        }

        if (!Enum.IsDefined(input.Status))
        {
            errors["status"] = ["status must be draft or published."];
        }

        return errors;
    }

    /// <summary>Copies a valid input onto an article (cleaned by <see cref="SafeText"/>; blank and repeated phrasings dropped).</summary>
    public static void Apply(Article article, ArticleInput input, DateTime now)
    {
        article.Question = SafeText.SingleLine(input.Question);
        article.Answer = SafeText.MultiLine(input.Answer);
        article.Category = SafeText.SingleLine(input.Category);
        article.Language = NormalizeLanguage(input.Language)!;
        article.Status = input.Status;
        article.Phrasings = (input.Phrasings ?? [])
            .Select(p => SafeText.SingleLine(p)) // one line each
            .Where(p => p.Length > 0 && !string.Equals(p, article.Question, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        article.UpdatedAt = now;
    }

    /// <summary><c>zh-CN</c> or <c>en</c> for the accepted spellings (zh, zh-Hans, EN …); null otherwise.</summary>
    public static string? NormalizeLanguage(string? language) => language?.Trim().ToLowerInvariant() switch
    {
        "zh-cn" or "zh" or "zh-hans" or "zh-hans-cn" => "zh-CN",
        "en" or "en-us" or "en-gb" => "en",
        _ => null,
    };

    /// <summary>
    /// The language of a visitor's text: Chinese when it contains a Han character, otherwise English.
    /// A short "ok" or an order number carries no signal; the caller falls back to the other language's articles.
    /// </summary>
    public static string DetectLanguage(string? text)
    {
        foreach (var c in text ?? "")
        {
            if (c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf' or >= '\uf900' and <= '\ufaff')
            {
                return "zh-CN";
            }
        }

        return "en";
    }

    public static ArticleDto ToDto(Article a) => new(a.Id, a.Question, a.Answer, a.Phrasings, a.Category, a.Language, a.Status, a.UpdatedAt);
}
