using System.Globalization;
using Kefu.Server.Features.Automation;
using Microsoft.Extensions.Localization;

namespace Kefu.Server.Console.Pages.Settings.Automation;

/// <summary>The rule language's names in the reader's language, for dropdowns and the grids.</summary>
internal static class AutomationLabels
{
    /// <summary>The priorities, labelled with the console's existing <c>Priority_Low</c> … texts.</summary>
    public static IEnumerable<AutomationOption> Priorities(IStringLocalizer text) =>
        AutomationNames.Priorities.Select(p => new AutomationOption(p, text["Priority_" + char.ToUpper(p[0], CultureInfo.InvariantCulture) + p[1..]]));

    /// <summary>One action as a short sentence for a grid: its type and its value, ids shown by name.</summary>
    public static string Action(IStringLocalizer text, RuleAction action, AutomationChoices choices)
    {
        var label = text["AutomationAction_" + action.Type].Value;
        var value = action.Type switch
        {
            "resolve" => null,
            "set_priority" => Priorities(text).FirstOrDefault(p => p.Value == action.Value)?.Label ?? action.Value,
            "assign_team" => choices.Teams.FirstOrDefault(t => t.Value == action.Value)?.Label ?? action.Value,
            "snooze" when action.Value == AutomationNames.UntilReply => text["AutomationSnoozeUntilReply"].Value,
            "snooze" => text["AutomationSnoozeMinutes", action.Value ?? ""].Value,
            "assign_agent" => choices.Agents.FirstOrDefault(a => a.Value == action.Value)?.Label ?? action.Value,
            "send_canned_reply" => choices.CannedReplies.FirstOrDefault(r => r.Value == action.Value)?.Label ?? action.Value,
            "send_webhook" => choices.Webhooks.FirstOrDefault(w => w.Value == action.Value)?.Label ?? action.Value,
            _ => action.Value,
        };
        return value is null ? label : $"{label}: {value}";
    }
}
