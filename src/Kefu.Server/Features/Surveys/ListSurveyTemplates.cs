using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>One page of survey templates.</summary>
/// <param name="Items">The templates, oldest first.</param>
/// <param name="NextAfter">Pass as <c>after</c> for the next page; null on the last.</param>
public sealed record SurveyTemplatePage(IReadOnlyList<SurveyTemplateDto> Items, Guid? NextAfter);

/// <summary><c>GET /api/v1/survey-templates?after=&amp;limit=</c>: the workspace's survey templates, in pages of 1–100 (default 50).</summary>
internal sealed class ListSurveyTemplates(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access)
{
    public const int MaxLimit = 100;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/survey-templates", async Task<Results<Ok<SurveyTemplatePage>, ProblemHttpResult>> (
                Guid? after, int? limit, HttpContext http, ListSurveyTemplates handler, CancellationToken ct) =>
            {
                var (page, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, after, limit ?? 50, ct);
                return error is null ? TypedResults.Ok(page!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("ListSurveyTemplates")
            .WithTags("Surveys");

    public async Task<(SurveyTemplatePage?, KefuError?)> HandleAsync(AgentIdentity agent, Guid? after, int limit, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return (null, SurveyErrors.Forbidden);
        }

        if (limit is < 1 or > MaxLimit)
        {
            return (null, SurveyErrors.Invalid("limit", "limit must be between 1 and 100."));
        }

        // A workspace keeps at most SurveyLimits.MaxTemplates templates, so the page is cut from the ordered list in memory:
        // the cursor is an id, and ids are ordered by creation (version 7) on both providers alike.
        var all = await AllAsync(agent.TenantId, cancellationToken);
        var start = 0;
        if (after is { } cursor)
        {
            var index = all.FindIndex(t => t.Id == cursor);
            if (index < 0)
            {
                return (null, SurveyErrors.Invalid("after", "after must be the id of a template of this workspace."));
            }

            start = index + 1;
        }

        var items = all.Skip(start).Take(limit).ToList();
        return (new SurveyTemplatePage(items, start + limit < all.Count ? items[^1].Id : null), null);
    }

    /// <summary>Every template of the workspace, oldest first (the console's lists).</summary>
    public async Task<List<SurveyTemplateDto>> AllAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<SurveyTemplate>().AsNoTracking().Where(t => t.TenantId == tenantId).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Select(SaveSurveyTemplate.ToDto)];
    }
}
