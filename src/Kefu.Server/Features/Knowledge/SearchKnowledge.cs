using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Knowledge.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Knowledge;

/// <summary>
/// <c>GET /api/v1/widget/kb/search?q=…&amp;lang=…</c>: the widget's search-as-you-type over the visitor's
/// workspace's published articles. Empty <c>q</c> lists the first articles of the language.
/// </summary>
internal sealed class SearchKnowledge(KnowledgeModelCache models)
{
    public const int MaxQueryLength = 200;
    private const int MaxHits = 8;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/widget/kb/search", async Task<Results<Ok<IReadOnlyList<ArticleHitDto>>, UnauthorizedHttpResult>> (
                HttpContext http, SearchKnowledge handler, CancellationToken ct, string? q = null, string? lang = null) =>
            {
                var visitor = VisitorIdentity.From(http.User);
                return visitor is null ? TypedResults.Unauthorized() : TypedResults.Ok(await handler.HandleAsync(visitor.TenantId, q, lang, ct));
            })
            .WithName("SearchKnowledge")
            .WithTags("Widget")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName });

    public async Task<IReadOnlyList<ArticleHitDto>> HandleAsync(Guid tenantId, string? query, string? language, CancellationToken cancellationToken)
    {
        var snapshot = await models.GetAsync(tenantId, cancellationToken);
        var q = (query ?? "").Trim();
        q = q.Length > MaxQueryLength ? q[..MaxQueryLength] : q;

        // The question's own script wins over the widget's language: 退货 finds Chinese articles on an English page.
        var lang = q.Length > 0 ? ArticleRules.DetectLanguage(q) : ArticleRules.NormalizeLanguage(language) ?? "en";
        var model = snapshot.For(lang);
        if (model is null)
        {
            return [];
        }

        IEnumerable<KnowledgeEntry> entries = q.Length == 0
            ? snapshot.Articles.Values.Where(a => a.Language == model.Language)
            : model.Index.Search(q, MaxHits).Select(h => snapshot.Find(h.Id)).OfType<KnowledgeEntry>();
        return entries.Take(MaxHits).Select(ToHit).ToList();
    }

    private static ArticleHitDto ToHit(KnowledgeEntry e) =>
        new(e.Id, e.Question, e.Category, e.PlainAnswer.Length <= 140 ? e.PlainAnswer : string.Concat(e.PlainAnswer.AsSpan(0, 139), "…"));
}
