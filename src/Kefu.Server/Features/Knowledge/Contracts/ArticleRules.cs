
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
        var question = input.Question?.Trim() ?? "";
        if (question.Length is 0 or > MaxQuestionLength)
        {
            errors["question"] = [$"question must be 1-{MaxQuestionLength} characters."];
        }

        var answer = input.Answer?.Trim() ?? "";
        if (answer.Length is 0 or > MaxAnswerLength)
        {
            errors["answer"] = [$"answer must be 1-{MaxAnswerLength} characters."];
        }

        if ((input.Category?.Trim().Length ?? 0) > MaxCategoryLength)
        {
            errors["category"] = [$"category must be at most {MaxCategoryLength} characters."];
        }

        if (NormalizeLanguage(input.Language) is null)
        {
            errors["language"] = ["language must be zh-CN or en."];
        }

        var phrasings = input.Phrasings ?? [];
        if (phrasings.Count > MaxPhrasings || phrasings.Any(p => (p?.Trim().Length ?? 0) > MaxPhrasingLength))
        {
            errors["phrasings"] = [$"at most {MaxPhrasings} phrasings of at most {MaxPhrasingLength} characters."];
        }

        if (!Enum.IsDefined(input.Status))
        {
            errors["status"] = ["status must be draft or published."];
        }

        return errors;
    }

    /// <summary>Copies a valid input onto an article (trimmed; blank and repeated phrasings dropped).</summary>
    public static void Apply(Article article, ArticleInput input, DateTime now)
    {
        article.Question = input.Question!.Trim();
        article.Answer = input.Answer!.Trim();
        article.Category = input.Category?.Trim() ?? "";
        article.Language = NormalizeLanguage(input.Language)!;
        article.Status = input.Status;
        article.Phrasings = (input.Phrasings ?? [])
            .Select(p => string.Join(' ', (p ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))) // one line each
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
