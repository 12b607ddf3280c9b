using System.Text.Json;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>
/// The one rule set for rules and macros, used by the API and the console. Ids in conditions and actions must be the
/// workspace's own (another workspace's team is refused as if it did not exist), and a regular expression must compile
/// with <see cref="RuleMatcher.Compile"/>: refused here, at save time, rather than failing silently at run time.
/// </summary>
internal static class AutomationValidation
{
    public const int MaxConditions = 20;
    public const int MaxActions = 10;
    public const int MaxPattern = 200;
    public const int MaxMessage = 2000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<KefuError?> RuleAsync(KefuDbContext db, Guid tenantId, RuleRequest r, CancellationToken ct)
    {
        if (Name(r.Name) is { } name)
        {
            return name;
        }

        if (r.Trigger is null || !AutomationNames.Triggers.Contains(r.Trigger))
        {
            return AutomationErrors.Invalid("trigger", "trigger must be one of " + string.Join(", ", AutomationNames.Triggers) + ".");
        }

        if (r.Trigger == AutomationNames.MessageCreated && r.Sender is not null && !AutomationNames.Senders.Contains(r.Sender))
        {
            return AutomationErrors.Invalid("sender", "sender must be visitor, agent or any.");
        }

        if (r.Trigger == AutomationNames.Idle && r.IdleMinutes is not (>= 1 and <= 43_200))
        {
            return AutomationErrors.Invalid("idleMinutes", "idleMinutes must be 1 to 43200 for an idle rule.");
        }

        if (r.Match is not (null or "all" or "any"))
        {
            return AutomationErrors.Invalid("match", "match must be all or any.");
        }

        var conditions = r.Conditions ?? [];
        if (conditions.Count > MaxConditions)
        {
            return AutomationErrors.Invalid("conditions", $"At most {MaxConditions} conditions.");
        }

        for (var i = 0; i < conditions.Count; i++)
        {
            if (await ConditionAsync(db, tenantId, conditions[i], $"conditions[{i}]", ct) is { } bad)
            {
                return bad;
            }
        }

        return await ActionsAsync(db, tenantId, r.Actions, AutomationNames.RuleActions, ct);
    }

    public static async Task<KefuError?> MacroAsync(KefuDbContext db, Guid tenantId, MacroRequest r, CancellationToken ct) =>
        Name(r.Name) ?? await ActionsAsync(db, tenantId, r.Actions, AutomationNames.MacroActions, ct);

    private static KefuError? Name(string? name) =>
        SafeText.SingleLine(name).Length is 0 or > 100 ? AutomationErrors.Invalid("name", "name must be 1 to 100 characters.") : null;

    private static async Task<KefuError?> ConditionAsync(KefuDbContext db, Guid tenantId, RuleCondition c, string at, CancellationToken ct)
    {
        if (c.Field is null || !AutomationNames.Fields.TryGetValue(c.Field, out var operators))
        {
            return AutomationErrors.Invalid(at + ".field", $"Unknown field '{c.Field}'.");
        }

        if (c.Operator is null || !operators.Contains(c.Operator))
        {
            return AutomationErrors.Invalid(at + ".operator", $"{c.Field} takes {string.Join(", ", operators)}.");
        }

        var value = c.Value?.Trim() ?? "";
        return c.Field switch
        {
            _ when value.Length is 0 or > MaxPattern => AutomationErrors.Invalid(at + ".value", $"value must be 1 to {MaxPattern} characters."),
            "inbox" when !Guid.TryParse(value, out var inbox) || !await db.Inboxes.AnyAsync(i => i.Id == inbox && i.TenantId == tenantId, ct) =>
                AutomationErrors.Invalid(at + ".value", "No such inbox in this workspace."),
            "channel" when !Enum.TryParse<Channels.Contracts.ChannelType>(value, ignoreCase: true, out _) => AutomationErrors.Invalid(at + ".value", "Unknown channel."),
            "priority" when !AutomationNames.Priorities.Contains(value) => AutomationErrors.Invalid(at + ".value", "priority must be low, normal, high or urgent."),
            "business_hours" when value is not ("open" or "closed") => AutomationErrors.Invalid(at + ".value", "business_hours must be open or closed."),
            "text" when c.Operator == "matches" && !Compiles(value) =>
                AutomationErrors.Invalid(at + ".value", "The pattern does not compile in linear-time mode (no backreferences or lookarounds)."),
            _ => null,
        };
    }

    private static bool Compiles(string pattern)
    {
        try
        {
            RuleMatcher.Compile(pattern);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static async Task<KefuError?> ActionsAsync(KefuDbContext db, Guid tenantId, IReadOnlyList<RuleAction>? actions, string[] allowed, CancellationToken ct)
    {
        if (actions is not { Count: > 0 and <= MaxActions })
        {
            return AutomationErrors.Invalid("actions", $"Give 1 to {MaxActions} actions.");
        }

        for (var i = 0; i < actions.Count; i++)
        {
            var (type, value, at) = (actions[i].Type, actions[i].Value?.Trim() ?? "", $"actions[{i}]");
            if (type is null || !allowed.Contains(type))
            {
                return AutomationErrors.Invalid(at + ".type", $"Unknown action '{type}'.");
            }

            var bad = type switch
            {
                "add_tags" when ContactTags.TryNormalize(value.Split(' ', StringSplitOptions.RemoveEmptyEntries), out _) is not { Count: > 0 } =>
                    "Give tags: letters, digits, '-' or '_', separated by spaces.",
                "set_priority" when !AutomationNames.Priorities.Contains(value) => "priority must be low, normal, high or urgent.",
                "assign_team" when !Guid.TryParse(value, out var team) || !await db.Teams.AnyAsync(t => t.Id == team && t.TenantId == tenantId, ct) =>
                    "No such team in this workspace.",
                "assign_agent" when !Guid.TryParse(value, out var agent) || !await db.Users.AnyAsync(u => u.Id == agent && u.TenantId == tenantId, ct) =>
                    "No such agent in this workspace.",
                "send_message" when value.Length is 0 or > MaxMessage => $"The message must be 1 to {MaxMessage} characters.",
                "add_note" when value.Length is 0 or > MaxMessage => $"The note must be 1 to {MaxMessage} characters.",
                "snooze" when value != AutomationNames.UntilReply && !(int.TryParse(value, out var minutes) && minutes is >= 1 and <= 43_200) =>
                    "snooze takes minutes (1 to 43200) or until_reply.",
                _ => null,
            };
            if (bad is not null)
            {
                return AutomationErrors.Invalid(at + ".value", bad);
            }
        }

        return null;
    }
}
