using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>GET /api/v1/knowledge/articles/{id}</c>: one article of the workspace.</summary>
internal sealed class GetArticle(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/knowledge/articles/{id:guid}", async Task<Results<Ok<ArticleDto>, NotFound>> (Guid id, HttpContext http, GetArticle handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound())
            .WithName("GetArticle")
            .WithTags("Knowledge");

    public async Task<ArticleDto?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var article = await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.TenantId == tenantId, cancellationToken);
        return article is null ? null : ArticleRules.ToDto(article);
    }
}
