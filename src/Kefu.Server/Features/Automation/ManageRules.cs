using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>The new order of a workspace's rules: every rule's id, first to last.</summary>
/// <param name="Ids">All the workspace's rule ids, each once.</param>
public sealed record RuleOrderRequest(IReadOnlyList<Guid>? Ids);

/// <summary>Whether a rule runs.</summary>
/// <param name="Enabled">True to run it.</param>
public sealed record RuleEnabledRequest(bool Enabled);

/// <summary>
/// The rule list and its small changes: <c>GET /automation/rules</c>, <c>PUT /automation/rules/order</c>,
/// <c>PUT /automation/rules/{id}/enabled</c>, <c>DELETE /automation/rules/{id}</c>. Settings permission; changes audited.
/// </summary>
internal sealed class ManageRules(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, RuleCache cache)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var settings = AccessPolicies.For(Permission.Settings);
        api.MapGet("/automation/rules", async Task<Results<Ok<IReadOnlyList<RuleDto>>, ProblemHttpResult>> (HttpContext http, ManageRules h, CancellationToken ct) =>
                await h.ListAsync(AgentIdentity.From(http.User)!, ct) is var (list, e) && e is null ? TypedResults.Ok(list!) : KefuProblems.Problem(e!))
            .RequireAuthorization(settings).WithName("ListAutomationRules").WithTags("Automation");
        api.MapPut("/automation/rules/order", async Task<Results<NoContent, ProblemHttpResult>> (RuleOrderRequest r, HttpContext http, ManageRules h, CancellationToken ct) =>
                Done(await h.ReorderAsync(AgentIdentity.From(http.User)!, r, ct)))
            .RequireAuthorization(settings).WithName("ReorderAutomationRules").WithTags("Automation");
        api.MapPut("/automation/rules/{id:guid}/enabled", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, RuleEnabledRequest r, HttpContext http, ManageRules h, CancellationToken ct) =>
                Done(await h.SetEnabledAsync(AgentIdentity.From(http.User)!, id, r.Enabled, ct)))
            .RequireAuthorization(settings).WithName("SetAutomationRuleEnabled").WithTags("Automation");
        api.MapDelete("/automation/rules/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, ManageRules h, CancellationToken ct) =>
                Done(await h.DeleteAsync(AgentIdentity.From(http.User)!, id, ct)))
            .RequireAuthorization(settings).WithName("DeleteAutomationRule").WithTags("Automation");
    }

    private static Results<NoContent, ProblemHttpResult> Done(KefuError? e) => e is null ? TypedResults.NoContent() : KefuProblems.Problem(e);

    public async Task<(IReadOnlyList<RuleDto>?, KefuError?)> ListAsync(AgentIdentity caller, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, AutomationErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AutomationRules.AsNoTracking().Where(r => r.TenantId == caller.TenantId).OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ToListAsync(ct);
        return ([.. rows.Select(SaveRule.ToDto)], null);
    }

    public Task<KefuError?> ReorderAsync(AgentIdentity caller, RuleOrderRequest request, CancellationToken ct) =>
        ChangeAsync(caller, null, "reordered", async (db, rules) =>
        {
            var ids = request.Ids ?? [];
            if (ids.Count != rules.Count || ids.Distinct().Count() != ids.Count || ids.Any(i => rules.All(r => r.Id != i)))
            {
                return AutomationErrors.Invalid("ids", "Give every rule of the workspace once, in the new order.");
            }

            foreach (var rule in rules)
            {
                rule.Position = ids.ToList().IndexOf(rule.Id);
            }

            return await Task.FromResult<KefuError?>(null);
        }, ct);

    public Task<KefuError?> SetEnabledAsync(AgentIdentity caller, Guid id, bool enabled, CancellationToken ct) =>
        ChangeAsync(caller, id, enabled ? "enabled" : "disabled", (db, rules) =>
        {
            rules[0].Enabled = enabled;
            return Task.FromResult<KefuError?>(null);
        }, ct);

    public Task<KefuError?> DeleteAsync(AgentIdentity caller, Guid id, CancellationToken ct) =>
        ChangeAsync(caller, id, "deleted", (db, rules) =>
        {
            db.AutomationRules.Remove(rules[0]);
            return Task.FromResult<KefuError?>(null);
        }, ct);

    /// <summary>Loads one rule (or all of them), applies the change, audits and saves it, and drops the rule cache.</summary>
    private async Task<KefuError?> ChangeAsync(AgentIdentity caller, Guid? id, string detail, Func<KefuDbContext, List<AutomationRule>, Task<KefuError?>> change, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return AutomationErrors.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.AutomationRules.Where(r => r.TenantId == caller.TenantId && (id == null || r.Id == id)).ToListAsync(ct);
        if (id is not null && rules.Count == 0)
        {
            return AutomationErrors.RuleNotFound;
        }

        if (await change(db, rules) is { } error)
        {
            return error;
        }

        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "automation_rule", id?.ToString(), detail).By(caller));
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return null;
    }
}
