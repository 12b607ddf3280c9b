using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>The built-in "auto-resolve idle conversations" rule as an admin sees it.</summary>
/// <param name="Enabled">Whether it runs.</param>
/// <param name="Hours">Hours without a message before a conversation is resolved, 1 to 720.</param>
/// <param name="Message">What the visitor is told first; null: resolved without a message.</param>
/// <param name="RuleId">The rule it is stored as (also listed, and editable, with the other rules); null before it was first saved.</param>
public sealed record AutoResolvePresetDto(bool Enabled, int Hours, string? Message, Guid? RuleId);

/// <summary>Switches the built-in rule on or off and sets its hours and message.</summary>
/// <param name="Enabled">Whether it runs.</param>
/// <param name="Hours">1 to 720.</param>
/// <param name="Message">Up to 2000 characters; empty or null: no message.</param>
/// <param name="Name">The rule's name in the rule list (the console sends it in the admin's language); default "Auto-resolve idle conversations".</param>
public sealed record AutoResolvePresetRequest(bool? Enabled, int? Hours, string? Message, string? Name = null);

/// <summary>
/// <c>GET</c>/<c>PUT /api/v1/automation/presets/auto-resolve</c>: the built-in rule of issue 14 — resolve conversations
/// idle for N hours, with a message to the visitor. It is an ordinary idle rule (<see cref="IdleSweep"/> runs it, the
/// timeline records it) stored under an id derived from the workspace, so the preset always finds its own rule and no
/// column marks it; saving goes through <see cref="SaveRule"/>, so it is validated and audited like any rule.
/// </summary>
internal sealed class AutoResolvePreset(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, SaveRule save)
{
    public const int MaxHours = 720;
    public const int DefaultHours = 24;
    public const string DefaultName = "Auto-resolve idle conversations";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/automation/presets/auto-resolve", async Task<Results<Ok<AutoResolvePresetDto>, ProblemHttpResult>> (HttpContext http, AutoResolvePreset handler, CancellationToken ct) =>
                Result(await handler.GetAsync(AgentIdentity.From(http.User)!, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("GetAutoResolvePreset").WithTags("Automation");
        api.MapPut("/automation/presets/auto-resolve", async Task<Results<Ok<AutoResolvePresetDto>, ProblemHttpResult>> (
                AutoResolvePresetRequest request, HttpContext http, AutoResolvePreset handler, CancellationToken ct) =>
                Result(await handler.SaveAsync(AgentIdentity.From(http.User)!, request, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("SetAutoResolvePreset").WithTags("Automation");
    }

    private static Results<Ok<AutoResolvePresetDto>, ProblemHttpResult> Result((AutoResolvePresetDto?, KefuError?) r) =>
        r.Item2 is null ? TypedResults.Ok(r.Item1!) : KefuProblems.Problem(r.Item2);

    /// <summary>The workspace's preset rule id: stable, and no other workspace's.</summary>
    public static Guid RuleIdOf(Guid tenantId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"kefu/automation/preset/auto-resolve/{tenantId:N}")).AsSpan(0, 16));

    public async Task<(AutoResolvePresetDto?, KefuError?)> GetAsync(AgentIdentity caller, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, AutomationErrors.Forbidden);
        }

        var id = RuleIdOf(caller.TenantId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.AutomationRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.TenantId == caller.TenantId, ct);
        if (rule is null)
        {
            return (new AutoResolvePresetDto(false, DefaultHours, null, null), null);
        }

        var dto = SaveRule.ToDto(rule);
        var hours = dto.Trigger == AutomationNames.Idle ? Math.Clamp((dto.IdleMinutes + 59) / 60, 1, MaxHours) : DefaultHours;
        return (new AutoResolvePresetDto(dto.Enabled, hours, dto.Actions.FirstOrDefault(a => a.Type == "send_message")?.Value, rule.Id), null);
    }

    public async Task<(AutoResolvePresetDto?, KefuError?)> SaveAsync(AgentIdentity caller, AutoResolvePresetRequest request, CancellationToken ct)
    {
        if (request.Hours is not (>= 1 and <= MaxHours))
        {
            return (null, AutomationErrors.Invalid("hours", $"hours must be 1 to {MaxHours}."));
        }

        var message = request.Message?.Trim();
        if (message?.Length > AutomationValidation.MaxMessage)
        {
            return (null, AutomationErrors.Invalid("message", $"The message is at most {AutomationValidation.MaxMessage} characters."));
        }

        RuleAction[] actions = string.IsNullOrEmpty(message)
            ? [new("resolve", null)]
            : [new("send_message", message), new("resolve", null)];
        var rule = new RuleRequest(
            string.IsNullOrWhiteSpace(request.Name) ? DefaultName : request.Name, AutomationNames.Idle, null, request.Hours * 60, "all", [], actions,
            request.Enabled ?? true);
        var id = RuleIdOf(caller.TenantId);
        bool exists;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            exists = await db.AutomationRules.AnyAsync(r => r.Id == id && r.TenantId == caller.TenantId, ct);
        }

        var (_, error) = await save.HandleAsync(caller, exists ? id : null, rule, ct, createAs: id);
        return error is not null
            ? (null, error.Field == "name" ? error : error with { Field = error.Field?.StartsWith("actions", StringComparison.Ordinal) == true ? "message" : error.Field })
            : await GetAsync(caller, ct);
    }
}
