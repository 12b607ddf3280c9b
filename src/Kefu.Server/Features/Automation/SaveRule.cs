using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>
/// <c>POST /api/v1/automation/rules</c> (added last in the order) and <c>PUT /api/v1/automation/rules/{id}</c>: an admin
/// saves a rule. Validated as a whole first (<see cref="AutomationValidation"/>): a refused rule stores nothing. The rule
/// acts with the saver's permissions from now on. Audited without the rule's texts.
/// </summary>
internal sealed class SaveRule(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, RuleCache cache, TimeProvider time,
    IContactAttributeReader attributes, ICannedReplyFiller cannedReplies)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/automation/rules", async Task<Results<Ok<RuleDto>, ProblemHttpResult>> (RuleRequest request, HttpContext http, SaveRule handler, CancellationToken ct) =>
                Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, null, request, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("CreateAutomationRule").CreatesResource().WithTags("Automation");
        api.MapPut("/automation/rules/{id:guid}", async Task<Results<Ok<RuleDto>, ProblemHttpResult>> (Guid id, RuleRequest request, HttpContext http, SaveRule handler, CancellationToken ct) =>
                Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("UpdateAutomationRule").WithTags("Automation");
    }

    private static Results<Ok<RuleDto>, ProblemHttpResult> Result((RuleDto?, KefuError?) r) => r.Item2 is null ? TypedResults.Ok(r.Item1!) : KefuProblems.Problem(r.Item2);

    /// <param name="createAs">For a new rule: its id (a built-in preset's fixed id); a fresh one when null.</param>
    public async Task<(RuleDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid? id, RuleRequest request, CancellationToken ct, Guid? createAs = null)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, AutomationErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        AutomationRule? rule;
        if (id is { } existing)
        {
            rule = await db.AutomationRules.FirstOrDefaultAsync(r => r.Id == existing && r.TenantId == caller.TenantId, ct);
            if (rule is null)
            {
                return (null, AutomationErrors.RuleNotFound);
            }
        }
        else
        {
            var last = await db.AutomationRules.Where(r => r.TenantId == caller.TenantId).MaxAsync(r => (int?)r.Position, ct);
            rule = new AutomationRule { Id = createAs ?? Guid.CreateVersion7(), TenantId = caller.TenantId, Name = "", Trigger = "", Position = (last ?? -1) + 1, CreatedAt = now };
            db.AutomationRules.Add(rule);
        }

        if (await AutomationValidation.RuleAsync(db, caller.TenantId, request, attributes, cannedReplies, ct) is { } invalid)
        {
            return (null, invalid);
        }

        rule.Name = SafeText.SingleLine(request.Name);
        rule.Trigger = request.Trigger!;
        rule.Sender = request.Trigger == AutomationNames.MessageCreated ? request.Sender ?? "visitor" : "any";
        rule.IdleMinutes = request.Trigger == AutomationNames.Idle ? request.IdleMinutes!.Value : 0;
        rule.Match = request.Match ?? "all";
        rule.Conditions = JsonSerializer.Serialize(Trimmed(request.Conditions ?? []), AutomationValidation.Json);
        rule.Actions = JsonSerializer.Serialize(request.Actions!.Select(a => a with { Value = a.Value?.Trim() }), AutomationValidation.Json);
        rule.Enabled = request.Enabled ?? rule.Enabled;
        rule.ActorId = caller.UserId;
        rule.UpdatedAt = now;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "automation_rule", rule.Id.ToString(), id is null ? "created" : "updated").By(caller));
        await db.SaveChangesAsync(ct);
        cache.Invalidate();
        return (ToDto(rule), null);
    }

    private static IEnumerable<RuleCondition> Trimmed(IEnumerable<RuleCondition> conditions) => conditions.Select(c => c with { Value = c.Value?.Trim(), Key = c.Key?.Trim() });

    public static RuleDto ToDto(AutomationRule r) => new(
        r.Id, r.Name, r.Position, r.Enabled, r.Trigger, r.Sender, r.IdleMinutes, r.Match,
        JsonSerializer.Deserialize<List<RuleCondition>>(r.Conditions, AutomationValidation.Json) ?? [],
        JsonSerializer.Deserialize<List<RuleAction>>(r.Actions, AutomationValidation.Json) ?? []);
}
