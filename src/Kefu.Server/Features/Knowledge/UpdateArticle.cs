using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>PUT /api/v1/knowledge/articles/{id}</c> (admins): replaces an article's fields.</summary>
internal sealed class UpdateArticle(IDbContextFactory<KefuDbContext> dbFactory, KnowledgeModelCache models, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/knowledge/articles/{id:guid}", async Task<Results<Ok<ArticleDto>, NotFound, ValidationProblem>> (
                Guid id, ArticleInput input, HttpContext http, UpdateArticle handler, CancellationToken ct) =>
            {
                var (dto, errors) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, input, ct);
                return errors is not null ? TypedResults.ValidationProblem(errors) : dto is null ? TypedResults.NotFound() : TypedResults.Ok(dto);
            })
            .WithName("UpdateArticle")
            .WithTags("Knowledge")
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge));

    /// <summary>The updated article; (null, null) when the workspace has no such article.</summary>
    public async Task<(ArticleDto?, Dictionary<string, string[]>?)> HandleAsync(AgentIdentity caller, Guid id, ArticleInput input, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        var errors = ArticleRules.Validate(input);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id && a.TenantId == tenantId, cancellationToken);
        if (article is null)
        {
            return (null, null);
        }

        ArticleRules.Apply(article, input, time.GetUtcNow().UtcDateTime);
        audit.Add(db, new AuditRecord(AuditActions.ArticleUpdated, "article", id.ToString(), "changed=" + ChangedFields(db, article)).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        models.Invalidate(tenantId);
        return (ArticleRules.ToDto(article), null);
    }

    /// <summary>The names of the fields this update changes (never their values: they are text people typed).</summary>
    private static string ChangedFields(KefuDbContext db, Article article)
    {
        db.ChangeTracker.DetectChanges();
        var changed = db.Entry(article).Properties
            .Where(p => p.IsModified && p.Metadata.Name != nameof(Article.UpdatedAt))
            .Select(p => char.ToLowerInvariant(p.Metadata.Name[0]) + p.Metadata.Name[1..]).ToList();
        return changed.Count == 0 ? "none" : string.Join(',', changed);
    }
}
