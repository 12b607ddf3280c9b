using Kefu.Server.Hosting;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Knowledge;

/// <summary>
/// <c>POST /api/v1/knowledge/import?format=csv|json</c> (admins), the file as the request body. Every row
/// is checked first; when any row is bad nothing is stored and the answer lists the bad rows.
/// </summary>
internal sealed class ImportArticles(IDbContextFactory<KefuDbContext> dbFactory, KnowledgeModelCache models, IAuditLog audit, TimeProvider time)
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 5000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/knowledge/import", async Task<Results<Ok<ImportResult>, ValidationProblem>> (
                HttpRequest request, ImportArticles handler, CancellationToken ct, string format = "csv") =>
            {
                if (!ArticleFormats.IsKnown(format))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be csv or json."] });
                }

                if (request.ContentLength > MaxBytes)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is larger than 5 MB."] });
                }

                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var buffer = new char[MaxBytes + 1];
                var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
                if (read > MaxBytes)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is larger than 5 MB."] });
                }

                var (result, errors) = await handler.HandleAsync(AgentIdentity.From(request.HttpContext.User)!, format, new string(buffer, 0, read), ct);
                return result is null ? TypedResults.ValidationProblem(errors!, title: "Nothing was imported: fix the rows listed and try again.") : TypedResults.Ok(result);
            })
            .WithName("ImportArticles").CreatesResource()
            .WithTags("Knowledge")
            .DisableAntiforgery() // token or SameSite=Lax cookie: a cross-site POST carries no credentials
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge));

    public async Task<(ImportResult?, Dictionary<string, string[]>?)> HandleAsync(AgentIdentity caller, string format, string content, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        var (rows, errors) = ArticleFormats.Parse(format, content.TrimStart('\uFEFF'));
        if (rows.Count > MaxRows)
        {
            errors["file"] = [$"At most {MaxRows} articles per import."];
        }

        // The same id twice would silently keep only the last row: say which rows repeat it.
        foreach (var repeat in rows.Select((r, i) => (r.Id, Row: i + 1)).Where(r => r.Id is not null).GroupBy(r => r.Id).Where(g => g.Count() > 1))
        {
            foreach (var (_, row) in repeat.Skip(1))
            {
                errors.TryAdd($"row {row}", [$"The id {repeat.Key} is also on row {repeat.First().Row}."]);
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var ids = rows.Where(r => r.Id is not null).Select(r => r.Id!.Value).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Articles.Where(a => a.TenantId == tenantId && ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            // An id of another workspace is never touched: the row becomes a new article of this one.
            if (row.Id is not { } id || !existing.TryGetValue(id, out var article))
            {
                article = new Article { Id = Guid.CreateVersion7(now), TenantId = tenantId, Question = "", Answer = "", Language = "en", CreatedAt = now };
                db.Articles.Add(article);
                created++;
            }
            else
            {
                updated++;
            }

            ArticleRules.Apply(article, new ArticleInput(row.Question, row.Answer, row.Phrasings, row.Category, row.Language, row.Status), now);
        }

        audit.Add(db, new AuditRecord(AuditActions.ArticlesImported, "knowledge", null, $"format={format}; created={created}; updated={updated}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        models.Invalidate(tenantId);
        return (new ImportResult(created, updated), null);
    }
}
