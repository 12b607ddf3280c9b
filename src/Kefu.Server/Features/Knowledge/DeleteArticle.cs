using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>DELETE /api/v1/knowledge/articles/{id}</c> (admins). Feedback about it stays for the statistics.</summary>
internal sealed class DeleteArticle(IDbContextFactory<KefuDbContext> dbFactory, KnowledgeModelCache models, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/knowledge/articles/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, HttpContext http, DeleteArticle handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithName("DeleteArticle")
            .WithTags("Knowledge")
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge));

    public async Task<bool> HandleAsync(AgentIdentity caller, Guid id, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The delete and its audit entry commit together, or neither does.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Articles.Where(a => a.Id == id && a.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            audit.Add(db, new AuditRecord(AuditActions.ArticleDeleted, "article", id.ToString()).By(caller));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            models.Invalidate(tenantId);
        }

        return deleted > 0;
    }
}
