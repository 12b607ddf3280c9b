using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Knowledge;

/// <summary><c>GET /api/v1/knowledge/export?format=csv|json</c> (admins): every article, in the import format.</summary>
internal sealed class ExportArticles(ListArticles list)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/knowledge/export", async Task<Results<FileContentHttpResult, ValidationProblem>> (
                HttpContext http, ExportArticles handler, CancellationToken ct, string format = "csv") =>
            {
                if (!ArticleFormats.IsKnown(format))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be csv or json."] });
                }

                var content = await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, format, ct);
                return TypedResults.File(ArticleFormats.Utf8.GetBytes(content),
                    format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8", $"knowledge.{format}");
            })
            .WithName("ExportArticles")
            .WithTags("Knowledge")
            .RequireAuthorization(AccessPolicies.For(Permission.Knowledge));

    public async Task<string> HandleAsync(Guid tenantId, string format, CancellationToken cancellationToken) =>
        ArticleFormats.Write(format, await list.HandleAsync(tenantId, null, null, null, null, cancellationToken));
}
