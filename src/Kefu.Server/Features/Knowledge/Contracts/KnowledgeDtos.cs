namespace Kefu.Server.Features.Knowledge.Contracts;

/// <summary>Whether the bot and the widget may use an article.</summary>
public enum ArticleStatus
{
    /// <summary>Work in progress: only admins see it.</summary>
    Draft,

    /// <summary>Answered by the bot and found in the widget.</summary>
    Published,
}

/// <summary>A knowledge-base article as admins see and edit it.</summary>
/// <param name="Id">Article id.</param>
/// <param name="Question">The question, as a visitor would ask it.</param>
/// <param name="Answer">Markdown answer.</param>
/// <param name="Phrasings">Other ways to ask the same question.</param>
/// <param name="Category">Free grouping such as <c>orders</c> or <c>shipping</c>.</param>
/// <param name="Language"><c>zh-CN</c> or <c>en</c>.</param>
/// <param name="Status">Draft or published.</param>
/// <param name="UpdatedAt">Last change, UTC.</param>
public sealed record ArticleDto(
    Guid Id, string Question, string Answer, IReadOnlyList<string> Phrasings, string Category, string Language, ArticleStatus Status, DateTime UpdatedAt);

/// <summary>What an admin sends to create or replace an article (also one import row).</summary>
/// <param name="Question">1–300 characters.</param>
/// <param name="Answer">Markdown, 1–20,000 characters.</param>
/// <param name="Phrasings">Up to 50 alternative phrasings of up to 300 characters; blanks and repeats are dropped.</param>
/// <param name="Category">Up to 50 characters; may be empty.</param>
/// <param name="Language"><c>zh-CN</c> or <c>en</c>.</param>
/// <param name="Status">Draft (default) or published.</param>
public sealed record ArticleInput(
    string? Question, string? Answer, IReadOnlyList<string>? Phrasings, string? Category, string? Language, ArticleStatus Status = ArticleStatus.Draft);

/// <summary>One import row, with an optional id: an id of an existing article of the workspace updates it.</summary>
/// <param name="Id">Existing article to update, or null/unknown to create one.</param>
/// <param name="Question">See <see cref="ArticleInput"/>.</param>
/// <param name="Answer">See <see cref="ArticleInput"/>.</param>
/// <param name="Phrasings">See <see cref="ArticleInput"/>.</param>
/// <param name="Category">See <see cref="ArticleInput"/>.</param>
/// <param name="Language">See <see cref="ArticleInput"/>.</param>
/// <param name="Status">See <see cref="ArticleInput"/>.</param>
public sealed record ArticleRecord(
    Guid? Id, string? Question, string? Answer, IReadOnlyList<string>? Phrasings, string? Category, string? Language, ArticleStatus Status = ArticleStatus.Draft);

/// <summary>The outcome of an import that stored its rows.</summary>
/// <param name="Created">New articles.</param>
/// <param name="Updated">Existing articles replaced.</param>
public sealed record ImportResult(int Created, int Updated);

/// <summary>A widget search hit.</summary>
/// <param name="Id">Article id.</param>
/// <param name="Question">Title to show.</param>
/// <param name="Category">Grouping.</param>
/// <param name="Snippet">Start of the answer as plain text.</param>
public sealed record ArticleHitDto(Guid Id, string Question, string Category, string Snippet);

/// <summary>A published article as the widget shows it.</summary>
/// <param name="Id">Article id.</param>
/// <param name="Question">Title.</param>
/// <param name="Html">The answer rendered from Markdown with raw HTML disabled, then sanitized: safe for innerHTML.</param>
/// <param name="Category">Grouping.</param>
/// <param name="Language">Language.</param>
public sealed record PublicArticleDto(Guid Id, string Question, string Html, string Category, string Language);

/// <summary>A visitor's "did this help?" in the self-service panel.</summary>
/// <param name="Helpful">True for yes.</param>
public sealed record ArticleFeedbackRequest(bool Helpful);
