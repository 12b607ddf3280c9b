using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>GET /api/v1/knowledge/articles</c>: the workspace's articles, filtered and searched (any agent may read).</summary>
internal sealed class ListArticles(IDbContextFactory<KefuDbContext> dbFactory)
{
    public const int MaxArticles = 5000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/knowledge/articles", async Task<Results<Ok<IReadOnlyList<ArticleDto>>, ValidationProblem>> (
                HttpContext http, ListArticles handler, CancellationToken ct, string? q = null, string? language = null, string? status = null, string? category = null) =>
            {
                ArticleStatus? wanted = null;
                if (status is not null)
                {
                    if (!Enum.TryParse<ArticleStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                    {
                        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be draft or published."] });
                    }

                    wanted = parsed;
                }

                return TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, q, language, wanted, category, ct));
            })
            .WithName("ListArticles")
            .WithTags("Knowledge");

    /// <summary>
    /// A workspace has at most a few thousand articles: they are filtered in memory, which also searches
    /// the phrasings (a JSON column on SQLite, an array on PostgreSQL) the same way on both databases.
    /// </summary>
    public async Task<IReadOnlyList<ArticleDto>> HandleAsync(
        Guid tenantId, string? query, string? language, ArticleStatus? status, string? category, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var articles = await db.Articles.AsNoTracking().Where(a => a.TenantId == tenantId)
            .OrderBy(a => a.Category).ThenBy(a => a.Question).Take(MaxArticles).ToListAsync(cancellationToken);
        var lang = ArticleRules.NormalizeLanguage(language);
        var q = query?.Trim() ?? "";
        return articles
            .Where(a => lang is null || a.Language == lang)
            .Where(a => status is null || a.Status == status)
            .Where(a => string.IsNullOrWhiteSpace(category) || string.Equals(a.Category, category.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(a => q.Length == 0 || Matches(a, q))
            .Select(ArticleRules.ToDto)
            .ToList();
    }

    private static bool Matches(Article a, string q) =>
        a.Question.Contains(q, StringComparison.OrdinalIgnoreCase) ||
        a.Answer.Contains(q, StringComparison.OrdinalIgnoreCase) ||
        a.Category.Contains(q, StringComparison.OrdinalIgnoreCase) ||
        a.Phrasings.Any(p => p.Contains(q, StringComparison.OrdinalIgnoreCase));
}
