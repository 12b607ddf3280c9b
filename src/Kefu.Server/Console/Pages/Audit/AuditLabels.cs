using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.Extensions.Localization;

namespace Kefu.Server.Console.Pages.Audit;

/// <summary>
/// Words for audit actions, their groups and outcomes (keys <c>AuditAction_{action}</c>, <c>AuditGroup_{group}</c>,
/// <c>AuditOutcome_{outcome}</c>). An action without a label, from a newer or older version, shows its raw name.
/// </summary>
internal static class AuditLabels
{
    /// <summary>The action groups (the part before the first dot), in the order the constants are declared.</summary>
    public static IReadOnlyList<string> Groups { get; } = [.. AuditActions.All.Select(GroupOf).Distinct()];

    public static string GroupOf(string action) => action.Split('.')[0];

    public static string Action(IStringLocalizer text, string action) => Or(text["AuditAction_" + action], action);

    public static string Group(IStringLocalizer text, string group) => Or(text["AuditGroup_" + group], group);

    public static string Outcome(IStringLocalizer text, AuditOutcome outcome) =>
        Or(text["AuditOutcome_" + outcome.ToString().ToLowerInvariant()], outcome.ToString());

    private static string Or(LocalizedString label, string fallback) => label.ResourceNotFound ? fallback : label.Value;
}
