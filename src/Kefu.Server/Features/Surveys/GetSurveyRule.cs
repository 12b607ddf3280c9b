using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>An inbox of the workspace with its survey rule, as the console lists them.</summary>
public sealed record SurveyRuleRow(Guid InboxId, string InboxName, SurveyRuleDto Rule);

/// <summary><c>GET /api/v1/inboxes/{id}/survey-rule</c>: which survey the inbox sends, and when.</summary>
internal sealed class GetSurveyRule(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/survey-rule", async Task<Results<Ok<SurveyRuleDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetSurveyRule handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetSurveyRule")
            .WithTags("Surveys");

    public async Task<(SurveyRuleDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return (null, SurveyErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == agent.TenantId, cancellationToken))
        {
            return (null, SurveyErrors.InboxNotFound);
        }

        var rule = await db.Set<SurveyRule>().AsNoTracking().FirstOrDefaultAsync(r => r.InboxId == inboxId, cancellationToken);
        return (SetSurveyRule.ToDto(inboxId, rule), null);
    }

    /// <summary>Every inbox of the workspace that is not archived, by name, with its rule (the console's settings page).</summary>
    public async Task<IReadOnlyList<SurveyRuleRow>> ListAsync(AgentIdentity agent, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => i.TenantId == agent.TenantId && i.ArchivedAt == null).OrderBy(i => i.Name)
            .Select(i => new { i.Id, i.Name }).ToListAsync(cancellationToken);
        var rules = await db.Set<SurveyRule>().AsNoTracking().Where(r => r.TenantId == agent.TenantId).ToDictionaryAsync(r => r.InboxId, cancellationToken);
        return [.. inboxes.Select(i => new SurveyRuleRow(i.Id, i.Name, SetSurveyRule.ToDto(i.Id, rules.GetValueOrDefault(i.Id))))];
    }
}
