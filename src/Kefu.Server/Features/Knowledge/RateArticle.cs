using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>POST /api/v1/widget/kb/articles/{id}/feedback</c>: "did this help?" in the self-service panel.</summary>
internal sealed class RateArticle(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/kb/articles/{id:guid}/feedback", async Task<Results<NoContent, NotFound, UnauthorizedHttpResult>> (
                Guid id, ArticleFeedbackRequest request, HttpContext http, RateArticle handler, CancellationToken ct) =>
            {
                var visitor = VisitorIdentity.From(http.User);
                if (visitor is null)
                {
                    return TypedResults.Unauthorized();
                }

                return await handler.HandleAsync(visitor.TenantId, id, request.Helpful, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
            })
            .WithName("RateArticle")
            .WithTags("Widget")
            .DisableAntiforgery() // visitor bearer token, no cookie
            .RequireRateLimiting(Channels.WebWidget.WidgetModule.FeedbackRateLimit)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName });

    public async Task<bool> HandleAsync(Guid tenantId, Guid articleId, bool helpful, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Articles.AnyAsync(a => a.Id == articleId && a.TenantId == tenantId && a.Status == ArticleStatus.Published, cancellationToken))
        {
            return false;
        }

        db.ArticleFeedback.Add(new ArticleFeedback
        {
            TenantId = tenantId, ArticleId = articleId, Helpful = helpful, Source = "self_service", CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
