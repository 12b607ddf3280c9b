using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary>
/// <c>GET /api/v1/widget/kb/articles/{id}</c>: a published article of the visitor's workspace, its answer as
/// sanitized HTML. Drafts and other workspaces' articles are 404, never 403: their existence is not told.
/// </summary>
internal sealed class ReadArticle(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/widget/kb/articles/{id:guid}", async Task<Results<Ok<PublicArticleDto>, NotFound, UnauthorizedHttpResult>> (
                Guid id, HttpContext http, ReadArticle handler, CancellationToken ct) =>
            {
                var visitor = VisitorIdentity.From(http.User);
                if (visitor is null)
                {
                    return TypedResults.Unauthorized();
                }

                return await handler.HandleAsync(visitor.TenantId, id, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound();
            })
            .WithName("ReadArticle")
            .WithTags("Widget")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName });

    public async Task<PublicArticleDto?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var article = await db.Articles.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == id && a.TenantId == tenantId && a.Status == ArticleStatus.Published, cancellationToken);
        return article is null ? null : new PublicArticleDto(article.Id, article.Question, ArticleMarkdown.ToHtml(article.Answer), article.Category, article.Language);
    }
}
