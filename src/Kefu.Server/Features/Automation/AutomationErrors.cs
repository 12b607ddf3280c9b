using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Automation;

/// <summary>What the automation and macro endpoints answer when they refuse.</summary>
internal static class AutomationErrors
{
    public static readonly KefuError RuleNotFound = new("rule_not_found", "No such rule.");
    public static readonly KefuError MacroNotFound = new("macro_not_found", "No such macro.");
    public static readonly KefuError Forbidden = new("forbidden", "You may not change this.");

    /// <summary>A field of the request is wrong; <paramref name="field"/> names it (<c>actions[0].value</c> …).</summary>
    public static KefuError Invalid(string field, string message) => new("invalid_automation", message) { Field = field };
}
