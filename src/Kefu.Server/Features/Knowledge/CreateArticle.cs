using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>POST /api/v1/knowledge/articles</c> (admins): a new article; the bot retrains in the background.</summary>
internal sealed class CreateArticle(IDbContextFactory<KefuDbContext> dbFactory, KnowledgeModelCache models, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/knowledge/articles", async Task<Results<Created<ArticleDto>, ValidationProblem>> (
                ArticleInput input, HttpContext http, CreateArticle handler, CancellationToken ct) =>
            {
                var (dto, errors) = await handler.HandleAsync(AgentIdentity.From(http.User)!, input, ct);
                return dto is null ? TypedResults.ValidationProblem(errors!) : TypedResults.Created($"/api/v1/knowledge/articles/{dto.Id}", dto);
            })
            .WithName("CreateArticle")
            .WithTags("Knowledge")
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge));

    public async Task<(ArticleDto?, Dictionary<string, string[]>?)> HandleAsync(AgentIdentity caller, ArticleInput input, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        var errors = ArticleRules.Validate(input);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var article = new Article { Id = Guid.CreateVersion7(now), TenantId = tenantId, Question = "", Answer = "", Language = "en", CreatedAt = now };
        ArticleRules.Apply(article, input, now);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Articles.Add(article);
            audit.Add(db, new AuditRecord(AuditActions.ArticleCreated, "article", article.Id.ToString(),
                $"status={article.Status.ToString().ToLowerInvariant()}; language={article.Language}; phrasings={input.Phrasings?.Count ?? 0}").By(caller));
            await db.SaveChangesAsync(cancellationToken);
        }

        models.Invalidate(tenantId);
        return (ArticleRules.ToDto(article), null);
    }
}
