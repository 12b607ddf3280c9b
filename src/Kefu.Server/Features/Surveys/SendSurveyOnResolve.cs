using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Surveys;

/// <summary>
/// Sends the inbox's survey when a conversation is resolved (rules with the <c>resolve</c> trigger), from the durable
/// lane: at least once, and a replayed resolve finds its survey by the resolve's time instead of sending a second one.
/// It takes <c>conversation.resolved</c> only, never a message event: <see cref="Handles"/> is one type check.
/// </summary>
internal sealed class SendSurveyOnResolve(SurveySender sender) : IOutboxConsumer
{
    public string Name => "surveys";

    public bool Handles(ConversationEvent e) => e is ConversationResolved;

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    /// <summary>
    /// All resolves of a row at once: one query reads their conversations joined with enabled rules (a workspace without
    /// surveys stops there), one reads the contacts' recent surveys, one insert stores the new ones; then one message
    /// write per survey sent.
    /// </summary>
    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var occasions = events.OfType<ConversationResolved>()
            .Select(e => new SurveyOccasion(e.ConversationId, SurveyTriggers.Resolve, $"resolve:{e.OccurredAt.Ticks}"))
            .ToList();
        if (occasions.Count > 0)
        {
            await sender.SendAsync(null, occasions, cancellationToken);
        }
    }
}
