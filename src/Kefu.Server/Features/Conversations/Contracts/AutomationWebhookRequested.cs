namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>
/// A rule's "send a webhook" action: the workspace's webhook <paramref name="SubscriptionId"/> receives this event
/// whatever events it subscribed to (the rule chose it), through the webhooks' own signed, retried delivery.
/// </summary>
/// <param name="RuleId">The rule.</param>
/// <param name="RuleName">Its name when it ran (timeline only: the receiver gets ids, no text people wrote).</param>
/// <param name="SubscriptionId">The webhook that receives it.</param>
/// <param name="EventKey">The rule's event (<c>m:…</c> a message, <c>i:…</c> a quiet spell …): one delivery per rule run, a replay none.</param>
public sealed record AutomationWebhookRequested(Guid RuleId, [property: TimelineOnly] string RuleName, Guid SubscriptionId, string EventKey) : ConversationEvent
{
    /// <summary>The event's name.</summary>
    public const string Name = "automation.webhook";

    /// <inheritdoc />
    public override string Type => Name;
}
