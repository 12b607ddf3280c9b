namespace Kefu.Server.Features.Bot.Contracts;

/// <summary>A typed question the offline engine could not answer with confidence.</summary>
/// <param name="TenantId">The workspace.</param>
/// <param name="Language"><c>en</c> or <c>zh-CN</c>: the language the bot replies in.</param>
/// <param name="Text">The visitor's words (already masked).</param>
/// <param name="Candidates">The articles the engine retrieved for it, best first (may be empty).</param>
internal sealed record UnsureQuestion(Guid TenantId, string Language, string Text, IReadOnlyList<Guid> Candidates);

/// <summary>An answer written from one article, which it cites.</summary>
/// <param name="Text">The answer as the visitor sees it (cleaned, citation removed).</param>
/// <param name="ArticleId">The article it was written from: one of the articles it was given.</param>
internal sealed record GroundedAnswer(string Text, Guid ArticleId);

/// <summary>
/// The bot's one seam for a second opinion: called by the responder only when the offline engine is unsure (it would
/// offer choices or hand off as not known). Null means "no better answer": the bot goes on exactly as it would
/// without it. An implementation must return within its own timeout and never throw for a remote service's sake.
/// </summary>
internal interface IUnsureAnswerer
{
    Task<GroundedAnswer?> TryAnswerAsync(UnsureQuestion question, CancellationToken cancellationToken);
}
