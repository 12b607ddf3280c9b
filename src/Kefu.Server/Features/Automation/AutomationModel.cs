namespace Kefu.Server.Features.Automation;

/// <summary>One test of a rule: <c>field operator value</c>, e.g. <c>text contains refund</c>.</summary>
/// <param name="Field"><c>inbox</c>, <c>channel</c>, <c>text</c>, <c>tag</c>, <c>priority</c>, <c>intent</c>, <c>business_hours</c>,
/// <c>language</c> (the contact's, <c>zh</c> also matches <c>zh-CN</c>), <c>attribute</c> (a custom contact attribute, see
/// <paramref name="Key"/>) or <c>score</c> (the survey's score, <c>survey_answered</c> rules only).</param>
/// <param name="Operator"><c>equals</c>, <c>not_equals</c>, <c>contains</c>, <c>not_contains</c>, <c>matches</c> (a regular expression),
/// <c>greater_than</c>, <c>less_than</c>, <c>at_least</c> or <c>at_most</c>, by field.</param>
/// <param name="Value">What to compare with.</param>
/// <param name="Key">For <c>attribute</c>: the attribute's key (<c>plan</c>); an unknown key is refused with 422 <c>unknown_attribute</c>.</param>
public sealed record RuleCondition(string? Field, string? Operator, string? Value, string? Key = null);

/// <summary>One thing a rule or macro does.</summary>
/// <param name="Type"><c>add_tags</c>, <c>set_priority</c>, <c>assign_team</c>, <c>assign_agent</c>, <c>send_message</c>,
/// <c>send_canned_reply</c>, <c>send_webhook</c>, <c>add_note</c>, <c>snooze</c> or <c>resolve</c>.</param>
/// <param name="Value">Tags (space separated), a priority, a team or agent id, the message, a canned reply's id, a webhook's id,
/// the private note's text, the snooze's minutes (1 to 43200) or <c>until_reply</c>; none for <c>resolve</c>.</param>
public sealed record RuleAction(string? Type, string? Value);

/// <summary>A rule to create or replace.</summary>
/// <param name="Name">Shown in the list and the timeline, 1 to 100 characters.</param>
/// <param name="Trigger"><c>conversation_created</c>, <c>message_created</c>, <c>idle</c>, <c>handed_off</c> or <c>survey_answered</c>.</param>
/// <param name="Sender">For <c>message_created</c>: <c>visitor</c> (default), <c>agent</c> or <c>any</c>.</param>
/// <param name="IdleMinutes">For <c>idle</c>: minutes since the last message, 1 to 43200.</param>
/// <param name="Match"><c>all</c> (default) or <c>any</c> of the conditions.</param>
/// <param name="Conditions">Up to 20; none means always.</param>
/// <param name="Actions">1 to 10, run in order.</param>
/// <param name="Enabled">Whether it runs (default true).</param>
public sealed record RuleRequest(
    string? Name, string? Trigger, string? Sender, int? IdleMinutes, string? Match,
    IReadOnlyList<RuleCondition>? Conditions, IReadOnlyList<RuleAction>? Actions, bool? Enabled);

/// <summary>A stored rule.</summary>
/// <param name="Id">The rule.</param>
/// <param name="Name">Its name.</param>
/// <param name="Position">Its place in the order rules run (0 first).</param>
/// <param name="Enabled">Whether it runs.</param>
/// <param name="Trigger">See <see cref="RuleRequest.Trigger"/>.</param>
/// <param name="Sender">See <see cref="RuleRequest.Sender"/>.</param>
/// <param name="IdleMinutes">See <see cref="RuleRequest.IdleMinutes"/>.</param>
/// <param name="Match"><c>all</c> or <c>any</c>.</param>
/// <param name="Conditions">Its conditions.</param>
/// <param name="Actions">Its actions.</param>
public sealed record RuleDto(
    Guid Id, string Name, int Position, bool Enabled, string Trigger, string Sender, int IdleMinutes, string Match,
    IReadOnlyList<RuleCondition> Conditions, IReadOnlyList<RuleAction> Actions);

/// <summary>A macro to create or replace.</summary>
/// <param name="Name">1 to 100 characters.</param>
/// <param name="Shared">True: every agent of the workspace sees it (needs the settings permission); false: only its owner.</param>
/// <param name="Actions">1 to 10 of <c>add_tags</c>, <c>set_priority</c>, <c>assign_team</c>, <c>resolve</c>.</param>
public sealed record MacroRequest(string? Name, bool? Shared, IReadOnlyList<RuleAction>? Actions);

/// <summary>A stored macro.</summary>
/// <param name="Id">The macro.</param>
/// <param name="Name">Its name.</param>
/// <param name="Shared">Shared with the workspace, or personal.</param>
/// <param name="Actions">Its actions.</param>
public sealed record MacroDto(Guid Id, string Name, bool Shared, IReadOnlyList<RuleAction> Actions);

/// <summary>The names of the rule language, defined once for the API, the console and the engine.</summary>
public static class AutomationNames
{
    /// <summary>Trigger: a conversation was created.</summary>
    public const string ConversationCreated = "conversation_created";

    /// <summary>Trigger: a message was stored (see <see cref="Senders"/>).</summary>
    public const string MessageCreated = "message_created";

    /// <summary>Trigger: nothing happened for the rule's idle minutes.</summary>
    public const string Idle = "idle";

    /// <summary>Trigger: the bot handed the conversation to a person.</summary>
    public const string HandedOff = "handed_off";

    /// <summary>Trigger: the visitor answered (or changed) a survey; its score is the <c>score</c> condition.</summary>
    public const string SurveyAnswered = "survey_answered";

    /// <summary>Triggers.</summary>
    public static readonly string[] Triggers = [ConversationCreated, MessageCreated, Idle, HandedOff, SurveyAnswered];

    /// <summary>Senders a <c>message_created</c> rule listens to.</summary>
    public static readonly string[] Senders = ["visitor", "agent", "any"];

    /// <summary>Condition fields with the operators each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Fields = new Dictionary<string, string[]>
    {
        ["inbox"] = ["equals", "not_equals"],
        ["channel"] = ["equals", "not_equals"],
        ["text"] = ["contains", "not_contains", "matches"],
        ["tag"] = ["contains", "not_contains"],
        ["priority"] = ["equals", "not_equals"],
        ["intent"] = ["equals", "not_equals"],
        ["business_hours"] = ["equals"],
        ["language"] = ["equals", "not_equals"],
        ["attribute"] = ["equals", "not_equals", "contains", "greater_than", "less_than"],
        ["score"] = ["equals", "at_least", "at_most"],
    };

    /// <summary>Actions of rules.</summary>
    public static readonly string[] RuleActions =
        ["add_tags", "set_priority", "assign_team", "assign_agent", "send_message", "send_canned_reply", "add_note", "snooze", "resolve", "send_webhook"];

    /// <summary>The value of a <c>snooze</c> action that waits for the customer instead of a time.</summary>
    public const string UntilReply = "until_reply";

    /// <summary>Actions of macros (an agent's click: no messages sent on their behalf, no assignment to a colleague).</summary>
    public static readonly string[] MacroActions = ["add_tags", "set_priority", "assign_team", "resolve"];

    /// <summary>Priorities.</summary>
    public static readonly string[] Priorities = ["low", "normal", "high", "urgent"];
}
