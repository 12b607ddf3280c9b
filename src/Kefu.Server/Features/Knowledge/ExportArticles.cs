using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>GET /api/v1/knowledge/export?format=csv|json</c> (admins): every article, in the import format.</summary>
internal sealed class ExportArticles(ListArticles list, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/knowledge/export", async Task<Results<FileContentHttpResult, ValidationProblem>> (
                HttpContext http, ExportArticles handler, CancellationToken ct, string format = "csv") =>
            {
                if (!ArticleFormats.IsKnown(format))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be csv or json."] });
                }

                var content = await handler.HandleAsync(AgentIdentity.From(http.User)!, format, ct);
                return TypedResults.File(ArticleFormats.Utf8.GetBytes(content),
                    format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8", $"knowledge.{format}");
            })
            .WithName("ExportArticles")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: "application/json")
            .WithTags("Knowledge")
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge));

    public async Task<string> HandleAsync(AgentIdentity caller, string format, CancellationToken cancellationToken)
    {
        var articles = await list.HandleAsync(caller.TenantId, null, null, null, null, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.DataExported, "knowledge", null, $"format={format}; articles={articles.Count}").By(caller),
            cancellationToken);
        return ArticleFormats.Write(format, articles);
    }
}
