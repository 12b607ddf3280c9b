using System.Text.Json;
using System.Globalization;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Webhooks.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>
/// The one rule set for rules and macros, used by the API and the console. Ids in conditions and actions must be the
/// workspace's own (another workspace's team is refused as if it did not exist), and a regular expression must compile
/// with <see cref="RuleMatcher.Compile"/>: refused here, at save time, rather than failing silently at run time.
/// </summary>
internal static partial class AutomationValidation
{
    public const int MaxConditions = 20;
    public const int MaxActions = 10;
    public const int MaxPattern = 200;
    public const int MaxMessage = 2000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex LanguageTag();

    public static async Task<KefuError?> RuleAsync(
        KefuDbContext db, Guid tenantId, RuleRequest r, IContactAttributeReader attributes, ICannedReplyFiller cannedReplies, CancellationToken ct)
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
            if (conditions[i].Field == "score" && r.Trigger != AutomationNames.SurveyAnswered)
            {
                return AutomationErrors.Invalid($"conditions[{i}].field", "A score condition needs the survey_answered trigger.");
            }

            if (await ConditionAsync(db, tenantId, conditions[i], $"conditions[{i}]", attributes, ct) is { } bad)
            {
                return bad;
            }
        }

        return await ActionsAsync(db, tenantId, r.Actions, AutomationNames.RuleActions, cannedReplies, ct);
    }

    public static async Task<KefuError?> MacroAsync(KefuDbContext db, Guid tenantId, MacroRequest r, CancellationToken ct) =>
        Name(r.Name) ?? await ActionsAsync(db, tenantId, r.Actions, AutomationNames.MacroActions, null, ct);

    private static KefuError? Name(string? name) =>
        SafeText.SingleLine(name).Length is 0 or > 100 ? AutomationErrors.Invalid("name", "name must be 1 to 100 characters.") : null;

    private static async Task<KefuError?> ConditionAsync(
        KefuDbContext db, Guid tenantId, RuleCondition c, string at, IContactAttributeReader attributes, CancellationToken ct)
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
        if (c.Field == "attribute" && value.Length is > 0 and <= MaxPattern)
        {
            return await AttributeAsync(tenantId, c, value, at, attributes, ct);
        }

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
            "language" when !LanguageTag().IsMatch(value) => AutomationErrors.Invalid(at + ".value", "language must be a language tag such as zh, zh-CN or en."),
            "score" when !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var score) && score is >= 0 and <= 10) =>
                AutomationErrors.Invalid(at + ".value", "score must be a whole number from 0 to 10."),
            _ => null,
        };
    }

    /// <summary>
    /// A contact-attribute condition: the key must be one of the workspace's attributes (422 <c>unknown_attribute</c>, as
    /// for a contact's own attributes), the operator must suit its type, and the value must be a value of that type.
    /// </summary>
    private static async Task<KefuError?> AttributeAsync(Guid tenantId, RuleCondition c, string value, string at, IContactAttributeReader attributes, CancellationToken ct)
    {
        var key = c.Key?.Trim() ?? "";
        if (key.Length is 0 or > 40 || await attributes.FindAsync(tenantId, key, ct) is not { } definition)
        {
            return new KefuError("unknown_attribute", $"The workspace has no contact attribute '{(key.Length > 40 ? key[..40] : key)}'.") { Field = at + ".key" };
        }

        var ordered = definition.Type is ContactAttributeType.Number or ContactAttributeType.Date;
        if (c.Operator is "greater_than" or "less_than" && !ordered || c.Operator == "contains" && definition.Type != ContactAttributeType.Text)
        {
            return AutomationErrors.Invalid(at + ".operator", $"{c.Operator} does not suit a {definition.Type.ToString().ToLowerInvariant()} attribute.");
        }

        return TypedValues.NormalizeText(definition.Type, definition.Options, value) is null
            ? AutomationErrors.Invalid(at + ".value", "The value must be " + TypedValues.Expected(definition.Type, definition.Options) + ".")
            : null;
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

    private static async Task<KefuError?> ActionsAsync(
        KefuDbContext db, Guid tenantId, IReadOnlyList<RuleAction>? actions, string[] allowed, ICannedReplyFiller? cannedReplies, CancellationToken ct)
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
                "send_canned_reply" when !Guid.TryParse(value, out var reply) || cannedReplies is null || !await cannedReplies.ExistsAsync(tenantId, reply, ct) =>
                    "No such team or shared canned reply in this workspace (a personal reply cannot be sent by a rule).",
                "send_webhook" when !Guid.TryParse(value, out var hook) || !await WebhookLookup.ExistsAsync(db, tenantId, hook, ct) =>
                    "No such webhook in this workspace.",
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
